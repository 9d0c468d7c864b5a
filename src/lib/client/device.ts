import { openDeviceDb, type DeviceDb } from './db';

let device: DeviceDb | undefined;

/** This browser profile's device database, opened once per page. */
export function deviceDb(): DeviceDb {
	device ??= openDeviceDb();
	return device;
}
