import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import {
	distanceMeters,
	everywhere,
	mainlandMobile,
	type Actor,
	type Feedback,
	type LatLng
} from '$lib/domain';
import type { Locale } from '$lib/i18n';
import type { Db } from '../db';
import { buildings, compounds, open311Requests, users } from '../db/schema';
import { nextVersion } from '../db/version';
import { applyMutation } from '../sync/apply';
import { caseIdFor } from '../sync/caseOpening';
import { Refusal } from '../sync/refusal';
import { PushStore } from '../sync/storage';
import { Open311Error } from './format';
import { findService, requestKinds, serviceName } from './services';

/**
 * `POST requests`: a resident's report through an Open311 client becomes a feedback record, made on the
 * server by the "Open311" account through the same code as a device's push (validation, place, audit,
 * and the case it opens), so it reaches the grid leaders' devices like any other.
 */

/** The account reports made through Open311 are recorded by. It cannot log in. */
const intakeUsername = 'open311';
const intakeUserId = uuidv5('gridwalk-open311-intake', '6ba7b811-9dad-11d1-80b4-00c04fd430c8');

/** A building this close to the given point is where the report is; farther, only its compound is. */
const buildingReachMeters = 150;
/** A point farther than this from every compound is outside the district. */
const districtReachMeters = 3_000;

export interface RequestParams {
	get(name: string): string | null;
}

export interface Intake {
	/** Who sent it: the key's label. */
	client: string;
	locale: Locale;
	now?: Date;
}

export async function takeRequest(db: Db, params: RequestParams, intake: Intake) {
	const now = intake.now ?? new Date();
	const service = findService(params.get('service_code') ?? '');
	if (!params.get('service_code'))
		throw new Open311Error(400, 'open311.error.missing', { field: 'service_code' });
	if (!service)
		throw new Open311Error(404, 'open311.error.unknownService', { code: params.get('service_code')! });

	const kind = service.kind ?? params.get('attribute[kind]');
	if (!kind) throw new Open311Error(400, 'open311.error.missing', { field: 'attribute[kind]' });
	if (!requestKinds.includes(kind as (typeof requestKinds)[number])) {
		throw new Open311Error(400, 'open311.error.badAttribute', { field: 'attribute[kind]', value: kind });
	}

	const place = await locate(db, params);
	const resident = residentOf(params);
	const record: Feedback = {
		id: uuidv7(),
		kind: kind as Feedback['kind'],
		topic: service.topic,
		channel: 'online',
		text: params.get('description')?.trim().slice(0, 4000) || serviceName(service, intake.locale),
		resident,
		// A resident who leaves a name or phone with a report asks to be contacted about it.
		consentToContact: resident !== null,
		compoundId: place.compoundId,
		buildingId: place.buildingId,
		receivedAt: now.toISOString(),
		by: intakeUserId
	};

	const actor = await intakeActor(db);
	const caseId = caseIdFor('feedback', record.id);
	await db.transaction(async (tx) => {
		const store = await PushStore.open(tx);
		try {
			await applyMutation(
				store,
				{
					actor,
					clientId: `open311:${intake.client}`,
					requestId: `open311-${record.id}`,
					locale: intake.locale,
					now
				},
				{ id: 1, name: 'feedback.create', args: record, clientTime: now.toISOString() }
			);
		} catch (error) {
			if (error instanceof Refusal) throw new Open311Error(400, error.messageKey, error.params);
			throw error;
		}
		await tx.insert(open311Requests).values({
			caseId,
			feedbackId: record.id,
			serviceCode: service.code,
			client: intake.client,
			addressString: params.get('address_string')?.trim().slice(0, 200) || null,
			requestedAt: now
		});
		await store.close();
	});
	return { service_request_id: caseId, service_notice: '', account_id: params.get('account_id') || null };
}

/** Name and phone as the resident gave them; a phone must be a mainland mobile number. */
function residentOf(params: RequestParams): Feedback['resident'] {
	const name = [params.get('last_name'), params.get('first_name')]
		.map((part) => part?.trim())
		.filter(Boolean)
		.join('')
		.slice(0, 50);
	const rawPhone = params
		.get('phone')
		?.replace(/[\s-]/g, '')
		.replace(/^\+?86/, '');
	if (rawPhone && !mainlandMobile.safeParse(rawPhone).success) {
		throw new Open311Error(400, 'open311.error.badPhone');
	}
	if (!name && !rawPhone) return null;
	return { ...(name ? { name } : {}), ...(rawPhone ? { phone: rawPhone } : {}) };
}

interface Located {
	compoundId: string;
	buildingId: string | null;
}

/**
 * Where the report is: `address_id` (a building's or compound's id), else `lat`/`long` (the nearest
 * building close by, else the nearest compound), else a compound (and building) named in `address_string`.
 */
async function locate(db: Db, params: RequestParams): Promise<Located> {
	const addressId = params.get('address_id')?.trim();
	const lat = params.get('lat');
	const long = params.get('long');
	const addressString = params.get('address_string')?.trim();
	if (addressId) {
		if (!/^[0-9a-f-]{36}$/i.test(addressId)) throw new Open311Error(400, 'open311.error.unknownAddress');
		const [building] = await db
			.select({ id: buildings.id, compoundId: buildings.compoundId })
			.from(buildings)
			.where(eq(buildings.id, addressId));
		if (building) return { compoundId: building.compoundId, buildingId: building.id };
		const [compound] = await db
			.select({ id: compounds.id })
			.from(compounds)
			.where(eq(compounds.id, addressId));
		if (compound) return { compoundId: compound.id, buildingId: null };
		throw new Open311Error(400, 'open311.error.unknownAddress');
	}
	if (lat !== null || long !== null) {
		const point = { lat: Number(lat), lng: Number(long) };
		if (!lat || !long || !Number.isFinite(point.lat) || !Number.isFinite(point.lng)) {
			throw new Open311Error(400, 'open311.error.badLocation');
		}
		if (Math.abs(point.lat) > 90 || Math.abs(point.lng) > 180)
			throw new Open311Error(400, 'open311.error.badLocation');
		return nearest(db, point);
	}
	if (addressString) return named(db, addressString);
	throw new Open311Error(400, 'open311.error.missing', { field: 'lat/long, address_string, address_id' });
}

async function nearest(db: Db, point: LatLng): Promise<Located> {
	const all = await db
		.select({ id: buildings.id, compoundId: buildings.compoundId, point: buildings.point })
		.from(buildings);
	const closest = minBy(all, (b) => distanceMeters(point, b.point));
	if (closest && closest.distance <= buildingReachMeters) {
		return { compoundId: closest.item.compoundId, buildingId: closest.item.id };
	}
	const places = await db.select({ id: compounds.id, centroid: compounds.centroid }).from(compounds);
	const compound = minBy(places, (c) => distanceMeters(point, c.centroid));
	if (!compound || compound.distance > districtReachMeters)
		throw new Open311Error(400, 'open311.error.outside');
	return { compoundId: compound.item.id, buildingId: null };
}

/** The longest compound name the address mentions, and a building of it the address mentions too. */
async function named(db: Db, address: string): Promise<Located> {
	const places = await db.select({ id: compounds.id, name: compounds.name }).from(compounds);
	const compound = places
		.filter((c) => c.name && address.includes(c.name))
		.sort((a, b) => b.name.length - a.name.length)[0];
	if (!compound) throw new Open311Error(400, 'open311.error.unknownAddress');
	const rest = address.replace(compound.name, '');
	const inside = await db
		.select({ id: buildings.id, name: buildings.name })
		.from(buildings)
		.where(eq(buildings.compoundId, compound.id));
	const building = inside
		.filter((b) => rest.includes(b.name))
		.sort((a, b) => b.name.length - a.name.length)[0];
	return { compoundId: compound.id, buildingId: building?.id ?? null };
}

function minBy<T>(items: T[], measure: (item: T) => number): { item: T; distance: number } | null {
	let best: { item: T; distance: number } | null = null;
	for (const item of items) {
		const distance = measure(item);
		if (!best || distance < best.distance) best = { item, distance };
	}
	return best;
}

/** The Open311 account, made on first use: inactive (no login) and acting everywhere. */
export async function intakeActor(db: Db): Promise<Actor> {
	const [known] = await db.select({ id: users.id }).from(users).where(eq(users.id, intakeUserId));
	if (!known) {
		await db.transaction(async (tx) => {
			await tx
				.insert(users)
				.values({
					id: intakeUserId,
					username: intakeUsername,
					displayName: 'Open311',
					role: 'admin',
					active: false,
					passwordHash: `!disabled-${randomBytes(8).toString('hex')}`,
					syncVersion: await nextVersion(tx)
				})
				.onConflictDoNothing();
		});
	}
	return { id: intakeUserId, role: 'admin', teamId: null, scope: everywhere };
}
