import { v7 as uuidv7 } from 'uuid';

/** A new record id: UUIDv7, made on the device, time-ordered so ids sort roughly by creation. */
export function newRecordId(): string {
	return uuidv7();
}

const urlSafe = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A random url-safe key for clientId / clientGroupId: 22 characters, 132 bits. */
export function newClientKey(): string {
	// 64 symbols divide 256 evenly, so `byte & 63` picks each with the same chance.
	return Array.from(crypto.getRandomValues(new Uint8Array(22)), (byte) => urlSafe[byte & 63]).join('');
}
