import { protocolVersion, schemaVersion } from '$lib/sync/protocol';
import { ApiError } from '../http';

/** A device on another protocol or record schema is asked to update the app; it keeps its outbox. */
export function requireServableVersions(body: { protocolVersion: number; schemaVersion: number }): void {
	if (body.protocolVersion === protocolVersion && body.schemaVersion === schemaVersion) return;
	throw new ApiError(
		409,
		'VERSION_NOT_SUPPORTED',
		'sync.versionNotSupported',
		{},
		{},
		{
			error: 'VERSION_NOT_SUPPORTED',
			protocolVersion,
			schemaVersion
		}
	);
}
