import Dexie from 'dexie';
import { openDeviceDb, type DeviceDb } from '../db';
import { rememberActor } from '../identity';
import { compound, coordinator } from './fixtures';

const opened: DeviceDb[] = [];
let count = 0;

/** A fresh database, or another connection to `name` (as a second tab would open it). */
export function openTestDb(name = `device-${++count}`): DeviceDb {
	const db = openDeviceDb(name);
	opened.push(db);
	return db;
}

/** A fresh device with the coordinator signed in and their compound on it. */
export async function signedInDevice(name?: string): Promise<DeviceDb> {
	const db = openTestDb(name);
	await rememberActor(db, coordinator);
	await db.compound.put(compound);
	return db;
}

/** Closes every connection the test opened and deletes its databases (for `afterEach`). */
export async function deleteTestDbs(): Promise<void> {
	const names = new Set(opened.map((db) => db.name));
	for (const db of opened.splice(0)) db.close();
	for (const name of names) await Dexie.delete(name);
}
