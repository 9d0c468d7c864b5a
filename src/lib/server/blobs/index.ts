import path from 'node:path';
import type { App } from '../app';
import { FileBlobStore } from './fileStore';
import type { PhotoBlobs } from './photos';

export { getPhoto, headPhoto, putPhoto, type PhotoBlobs } from './photos';

let opened: { app: App; photos: PhotoBlobs } | undefined;

/** The running server's photos: bytes under DATA_DIR/blobs, metadata in its database. */
export function photoBlobs(app: App): PhotoBlobs {
	if (opened?.app !== app) {
		const store = new FileBlobStore(path.join(app.config.dataDir, 'blobs'));
		opened = { app, photos: { db: app.database.db, store, maxBytes: app.config.maxPhotoBytes } };
	}
	return opened.photos;
}
