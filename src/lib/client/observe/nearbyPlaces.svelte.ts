import { liveQuery } from 'dexie';
import type { Action, Actor } from '$lib/domain';
import { currentLocale } from '$lib/i18n/current.svelte';
import type { DeviceDb } from '../db';
import { placesInScope, rankPlaces, suggestedPlace, type PlaceChoice } from './places';
import { PositionWatch } from './position.svelte';

/** What a form records of its place: the building, and whether the person chose it or GPS did. */
export interface PlacedFields {
	buildingId: string | null;
	buildingChosen: boolean;
}

export interface NearbyPlacesOptions {
	/** Whose scope, for which right (DOMAIN.md): the buildings offered are those the server would accept. */
	actor: () => Actor;
	action?: Action;
	/** Narrows the list further, e.g. an edit that stays in its record's compound; null keeps them all. */
	keep?: () => ((place: PlaceChoice) => boolean) | null;
	/** The form's fields: while the person has not chosen a building, the nearest one is filled in. */
	follow: () => PlacedFields;
	/** False while the form is not for this person: nothing is read and GPS stays off. */
	enabled?: () => boolean;
}

/**
 * The buildings a capture form offers, read live from the device (on a first visit they arrive while
 * the sync pulls them), with the person's GPS position and the building it suggests.
 * Create it while a component initialises (it runs effects).
 */
export class NearbyPlaces {
	readonly position = new PositionWatch();
	#inScope = $state.raw<PlaceChoice[]>([]);
	#loaded = $state(false);
	#places = $derived.by(() => {
		const keep = this.#options.keep?.();
		return keep ? this.#inScope.filter(keep) : this.#inScope;
	});
	#suggestion = $derived(
		suggestedPlace(
			rankPlaces(this.#places, { position: this.position.fix, locale: currentLocale() }),
			this.position.fix
		)
	);
	readonly #options: NearbyPlacesOptions;

	constructor(db: DeviceDb, options: NearbyPlacesOptions) {
		this.#options = options;
		const enabled = () => options.enabled?.() ?? true;
		$effect(() => {
			if (!enabled()) return;
			const actor = options.actor();
			const subscription = liveQuery(async () => {
				const [buildings, compounds, grids] = await Promise.all([
					db.building.toArray(),
					db.compound.toArray(),
					db.grid.toArray()
				]);
				return placesInScope(actor, { buildings, compounds, grids }, options.action);
			}).subscribe({
				next: (value) => {
					this.#inScope = value;
					this.#loaded = true;
				}
			});
			return () => subscription.unsubscribe();
		});
		$effect(() => {
			if (!enabled()) return;
			this.position.start();
			return () => this.position.stop();
		});
		$effect(() => {
			const fields = options.follow();
			if (this.#suggestion && !fields.buildingChosen) fields.buildingId = this.#suggestion.building.id;
		});
	}

	get places(): PlaceChoice[] {
		return this.#places;
	}

	/** False until the device's buildings were read once. */
	get loaded(): boolean {
		return this.#loaded;
	}

	/** The place with this building, when it is among those offered. */
	find(buildingId: string | null): PlaceChoice | null {
		return this.#places.find((place) => place.building.id === buildingId) ?? null;
	}
}
