// The small map of the capture forms: drag the pin to the problem; it snaps to the nearest building when
// close. Loaded only when a person opens it (a dynamic import), so the forms carry no Leaflet until then.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import type { GpsFix, LatLng } from '$lib/domain';
import type { PlaceChoice } from '../observe/places';
import { displayCrs, displayRing, type DisplayCrs } from './crs';
import { snapToBuilding } from './snap';
import type { TileConfig } from './tiles';

export interface PickerMapOptions {
	tiles: TileConfig;
	places: readonly PlaceChoice[];
	pinLabel: string;
	/** Where the pin and the view start (WGS-84). */
	start: LatLng;
	/** The pin was dropped: the building it snapped to (null: none close enough), and where, in WGS-84. */
	onpick: (place: PlaceChoice | null, point: LatLng) => void;
}

export class PickerMap {
	readonly map: L.Map;
	readonly display: DisplayCrs;
	readonly #pin: L.Marker;
	readonly #fix = L.layerGroup();
	readonly #places: readonly PlaceChoice[];

	constructor(element: HTMLElement, options: PickerMapOptions) {
		this.display = displayCrs(options.tiles.crs);
		this.#places = options.places;
		const renderer = L.canvas({ padding: 0.3 });
		this.map = L.map(element, {
			renderer,
			minZoom: 12,
			maxZoom: options.tiles.maxZoom,
			zoomSnap: 0.5
		});
		this.map.attributionControl.setPrefix(false);
		this.map.setView(this.#toLatLng(options.start), 18, { animate: false });
		L.tileLayer(options.tiles.url, {
			attribution: options.tiles.attribution,
			maxZoom: options.tiles.maxZoom,
			errorTileUrl: ''
		}).addTo(this.map);
		for (const { building } of options.places) {
			const ring = building.footprint?.coordinates[0];
			const style = {
				renderer,
				color: '#243b53',
				weight: 1,
				fillColor: '#9fb3c8',
				fillOpacity: 0.8,
				interactive: false
			};
			(ring
				? L.polygon(displayRing(ring, this.display), style)
				: L.circleMarker(this.#toLatLng(building.point), { ...style, radius: 5 })
			).addTo(this.map);
		}
		this.#fix.addTo(this.map);
		this.#pin = L.marker(this.map.getCenter(), {
			draggable: true,
			autoPan: true,
			keyboard: true,
			title: options.pinLabel,
			alt: options.pinLabel,
			icon: L.divIcon({
				className: 'picker-pin',
				html: '<span></span>',
				iconSize: [44, 44],
				iconAnchor: [22, 40]
			})
		}).addTo(this.map);
		this.#pin.on('dragend', () => {
			const shown = this.#pin.getLatLng();
			const point = this.display.fromDisplay({ lat: shown.lat, lng: shown.lng });
			const place = snapToBuilding(point, this.#places);
			if (place) this.#pin.setLatLng(this.#toLatLng(place.building.point));
			options.onpick(place, place ? place.building.point : point);
		});
	}

	#toLatLng(point: LatLng): L.LatLng {
		const p = this.display.toDisplay(point);
		return L.latLng(p.lat, p.lng);
	}

	/** Puts the pin at a point (the chosen building, or the person's fix) and the view around it. */
	place(point: LatLng, zoom = 18): void {
		const at = this.#toLatLng(point);
		this.#pin.setLatLng(at);
		this.map.setView(at, zoom, { animate: false });
	}

	/** The person's GPS position with its accuracy as a circle. */
	setFix(fix: GpsFix | null): void {
		this.#fix.clearLayers();
		if (!fix) return;
		const at = this.#toLatLng(fix);
		L.circle(at, {
			radius: fix.accuracy,
			color: '#1d4ed8',
			weight: 1,
			fillOpacity: 0.12,
			interactive: false
		}).addTo(this.#fix);
		L.circleMarker(at, {
			radius: 6,
			color: '#fff',
			weight: 2,
			fillColor: '#1d4ed8',
			fillOpacity: 1,
			interactive: false
		}).addTo(this.#fix);
	}

	destroy(): void {
		this.map.remove();
	}
}
