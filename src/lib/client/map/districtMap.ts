// The Leaflet side of the map: loaded only by the components that show one (a dynamic import), so no other
// route carries Leaflet. Vector layers go to one canvas renderer; cases and observations are clustered
// with supercluster and only the clusters and points in view become markers.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import Supercluster from 'supercluster';
import type { Building, Compound, GpsFix, LatLng } from '$lib/domain';
import { icons } from '$lib/components/Icon/icons';
import { displayCrs, displayRing, type DisplayCrs } from './crs';
import { escapeHtml } from './html';
import {
	gridColour,
	noFigures,
	statusColours,
	statusGroups,
	statusShares,
	type GridMode,
	type MapGrid,
	type MapRecord,
	type ScopedPlaces,
	type PlaceHit,
	type StatusGroup
} from './mapData';
import type { TileConfig } from './tiles';

/** The HTML of each popup and the words markers are read out with, in the person's language. */
export interface MapTexts {
	grid(grid: MapGrid): string;
	compound(compound: Compound): string;
	building(building: Building): string;
	record(record: MapRecord): string;
	/** A popup listing the records of a cluster that cannot be split further (one spot). */
	spot(records: MapRecord[]): string;
	recordLabel(record: MapRecord): string;
	/** A cluster's name: how many records, and how many of each status. */
	clusterLabel(count: number, counts: Readonly<Record<StatusGroup, number>>): string;
	you(fix: GpsFix): string;
}

export interface DistrictMapOptions {
	tiles: TileConfig;
	texts: MapTexts;
	/** Told whether tiles load: 'none' once some failed and none has loaded (offline, never seen). */
	ontiles?: (state: 'loaded' | 'none') => void;
	/** The first frame with every layer drawn (places and clustered records) has been painted (for `npm run bench`). */
	ondrawn?: () => void;
}

/** Zoom levels from which the finer layers show. */
const zoomFor = { compounds: 13, buildings: 15, labels: 17 } as const;
/** Beyond this zoom every record is its own marker (clusters split). */
const clusterMaxZoom = 17;
/** The widest view the map allows. */
const minZoom = 10;
const labelLimit = 150;

type ClusterProps = Record<StatusGroup, number>;

/** Each group's counts as one point of it: the properties every point of that group shares. */
const groupCounts = Object.fromEntries(
	statusGroups.map((group) => [
		group,
		Object.freeze(Object.fromEntries(statusGroups.map((g) => [g, g === group ? 1 : 0])))
	])
) as Record<StatusGroup, ClusterProps>;

function iconSvg(name: keyof typeof icons, size: number): string {
	const paths = icons[name].map((d) => `<path d="${d}"/>`).join('');
	return `<svg viewBox="0 0 24 24" width="${size}" height="${size}" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${paths}</svg>`;
}

/** A conic gradient with an arc per status, as long as its share of the cluster's records. */
function ring(counts: ClusterProps): string {
	const arcs = statusShares(counts).map(
		({ group, from, to }) => `${statusColours[group]} ${from.toFixed(1)}% ${to.toFixed(1)}%`
	);
	return `conic-gradient(${arcs.join(',')})`;
}

/** The most pressing state among a cluster's records: what its fill says. */
function worstGroup(counts: ClusterProps): StatusGroup {
	return statusGroups.find((g) => counts[g] > 0) ?? 'open';
}

export class DistrictMap {
	readonly map: L.Map;
	readonly display: DisplayCrs;
	/** Replaced when the data changes: popups are made when they open. */
	texts: MapTexts;
	readonly #renderer: L.Canvas;
	readonly #layers = {
		grids: L.featureGroup(),
		compounds: L.featureGroup(),
		buildings: L.featureGroup(),
		labels: L.layerGroup(),
		records: L.layerGroup(),
		you: L.layerGroup()
	};
	#places: ScopedPlaces = { grids: [], compounds: [], buildings: [] };
	readonly #gridShapes = new Map<string, L.Polygon>();
	/** Each grid's figures, once the records are known; the grids are drawn unfilled until then. */
	#figures = new Map<string, MapGrid>();
	#mode: GridMode = 'open';
	#recordsSet = false;
	#gridsSet = false;
	readonly #compoundShapes = new Map<string, L.Polygon>();
	readonly #buildingShapes = new Map<string, L.Path>();
	#records: MapRecord[] = [];
	#index: Supercluster<ClusterProps, ClusterProps> | null = null;
	#tilesLoaded = 0;
	#shown: L.LatLng | null = null;
	#drawn = false;
	readonly #options: DistrictMapOptions;

	constructor(element: HTMLElement, options: DistrictMapOptions) {
		this.#options = options;
		this.texts = options.texts;
		this.display = displayCrs(options.tiles.crs);
		this.#renderer = L.canvas({ padding: 0.5, tolerance: 4 });
		this.map = L.map(element, {
			renderer: this.#renderer,
			preferCanvas: true,
			zoomControl: true,
			minZoom,
			maxZoom: options.tiles.maxZoom,
			zoomSnap: 0.5,
			// Fading tiles in costs a repaint per frame while panning, for nothing a person needs.
			fadeAnimation: false,
			attributionControl: true
		});
		this.map.attributionControl.setPrefix(false);
		const tiles = L.tileLayer(options.tiles.url, {
			attribution: options.tiles.attribution,
			maxZoom: options.tiles.maxZoom,
			maxNativeZoom: options.tiles.maxZoom,
			// A failed tile is simply left out: the vector layers draw on the plain background.
			errorTileUrl: ''
		});
		tiles.on('tileload', () => {
			if (this.#tilesLoaded++ === 0) options.ontiles?.('loaded');
		});
		tiles.on('tileerror', () => {
			if (this.#tilesLoaded === 0) options.ontiles?.('none');
		});
		tiles.addTo(this.map);
		for (const layer of Object.values(this.#layers)) layer.addTo(this.map);
		this.map.on('zoomend', () => this.#zoomLayers());
		this.map.on('moveend', () => {
			// Where the map looks, in the tiles' coordinates: for tests and for anyone reading the page.
			const centre = this.map.getCenter();
			element.dataset.view = `${centre.lat.toFixed(6)},${centre.lng.toFixed(6)},${this.map.getZoom()}`;
			this.#markShown();
			this.#drawRecords();
			this.#drawLabels();
		});
	}

	#toLatLng(point: LatLng): L.LatLng {
		const p = this.display.toDisplay(point);
		return L.latLng(p.lat, p.lng);
	}

	/**
	 * The grids, compounds and buildings; the view moves to fit them the first time. Drawn before the
	 * records are known (they are read apart, and take longer): the grids fill in with `setGrids`.
	 */
	setPlaces(places: ScopedPlaces): void {
		this.#places = places;
		for (const layer of [this.#layers.grids, this.#layers.compounds, this.#layers.buildings]) {
			layer.clearLayers();
		}
		this.#gridShapes.clear();
		this.#compoundShapes.clear();
		this.#buildingShapes.clear();
		for (const grid of places.grids) {
			const shape = L.polygon(displayRing(grid.boundary.coordinates[0], this.display), {
				renderer: this.#renderer,
				color: '#334e68',
				weight: 1,
				...this.#gridFill(grid.id)
			});
			shape.bindPopup(() => this.texts.grid(this.#figures.get(grid.id) ?? { grid, figures: noFigures }));
			this.#gridShapes.set(grid.id, shape);
			shape.addTo(this.#layers.grids);
		}
		for (const compound of places.compounds) {
			if (!compound.boundary) continue;
			const shape = L.polygon(displayRing(compound.boundary.coordinates[0], this.display), {
				renderer: this.#renderer,
				color: '#102a43',
				weight: 2,
				dashArray: '6 4',
				fill: true,
				fillOpacity: 0
			});
			shape.bindPopup(() => this.texts.compound(compound));
			this.#compoundShapes.set(compound.id, shape);
			shape.addTo(this.#layers.compounds);
		}
		for (const building of places.buildings) {
			const ring = building.footprint?.coordinates[0];
			const style = {
				renderer: this.#renderer,
				color: '#243b53',
				weight: 1,
				fillColor: '#9fb3c8',
				fillOpacity: 0.9
			};
			const shape = ring
				? L.polygon(displayRing(ring, this.display), style)
				: L.circleMarker(this.#toLatLng(building.point), { ...style, radius: 5 });
			shape.bindPopup(() => this.texts.building(building));
			this.#buildingShapes.set(building.id, shape);
			shape.addTo(this.#layers.buildings);
		}
		if (!this.#drawn) this.fitAll();
		this.#zoomLayers();
		this.#whenDrawn();
	}

	/** Each grid's figures: the grids fill with the colour of their figures in `mode`. */
	setGrids(grids: MapGrid[], mode: GridMode): void {
		this.#figures = new Map(grids.map((entry) => [entry.grid.id, entry]));
		this.#gridsSet = true;
		this.setMode(mode);
		this.#whenDrawn();
	}

	/** Recolours the grids. */
	setMode(mode: GridMode): void {
		this.#mode = mode;
		for (const [id, shape] of this.#gridShapes) shape.setStyle(this.#gridFill(id));
	}

	#gridFill(gridId: string): L.PathOptions {
		const entry = this.#figures.get(gridId);
		return entry
			? { fillOpacity: 0.45, fillColor: gridColour(entry.figures, this.#mode) }
			: { fillOpacity: 0 };
	}

	/** The records to show (already filtered); clustered again from scratch. */
	setRecords(records: MapRecord[]): void {
		this.#records = records;
		const index = new Supercluster<ClusterProps, ClusterProps>({
			radius: 56,
			// The map never shows a wider view: no clusters are made for the zoom levels below.
			minZoom,
			maxZoom: clusterMaxZoom,
			// A point's properties are its group's shared counts (supercluster copies them before summing).
			map: (props) => props,
			reduce: (sum, props) => {
				sum.overdue += props.overdue;
				sum.open += props.open;
				sum.resolved += props.resolved;
				sum.closed += props.closed;
				sum.dropped += props.dropped;
			}
		});
		index.load(
			records.map((record, i) => {
				const p = this.display.toDisplay(record.point);
				return {
					type: 'Feature',
					// Which record a point is: its index in `records`.
					id: i,
					properties: groupCounts[record.group],
					geometry: { type: 'Point', coordinates: [p.lng, p.lat] }
				};
			})
		);
		this.#index = index;
		this.#recordsSet = true;
		this.#drawRecords();
		this.#whenDrawn();
	}

	/** Tells `ondrawn` once the places, the grids' colours and the records have all been drawn. */
	#whenDrawn(): void {
		if (this.#drawn || !this.#recordsSet || !this.#gridsSet) return;
		if (this.#places.grids.length + this.#places.buildings.length === 0) return;
		this.#drawn = true;
		// Leaflet draws its canvas in the next animation frame; the task after that frame comes once it
		// has been painted.
		requestAnimationFrame(() => setTimeout(() => this.#options.ondrawn?.()));
	}

	fitAll(): void {
		const bounds = L.latLngBounds([]);
		for (const layer of [this.#layers.grids, this.#layers.compounds, this.#layers.buildings]) {
			if (layer.getLayers().length) bounds.extend(layer.getBounds());
		}
		if (bounds.isValid()) this.map.fitBounds(bounds, { padding: [12, 12] });
		else this.map.setView([33.63, 116.98], 13);
	}

	/** Where the place last found by the search is drawn: in the tiles' coordinates, and on screen. */
	#markShown(): void {
		if (!this.#shown) return;
		const { x, y } = this.map.latLngToContainerPoint(this.#shown);
		const element = this.map.getContainer();
		element.dataset.shown = `${this.#shown.lat.toFixed(6)},${this.#shown.lng.toFixed(6)}`;
		element.dataset.shownAt = `${Math.round(x)},${Math.round(y)}`;
	}

	/** Flies to a compound or building found by the search and opens its popup. */
	show(hit: PlaceHit): void {
		const shape =
			hit.kind === 'compound' ? this.#compoundShapes.get(hit.id) : this.#buildingShapes.get(hit.id);
		const target = this.#toLatLng(hit.point);
		this.#shown = target;
		this.map.setView(target, hit.kind === 'compound' ? 16 : 18, { animate: false });
		if (shape) shape.openPopup(target);
		else if (hit.kind === 'compound') {
			const compound = this.#places.compounds.find((c) => c.id === hit.id);
			if (compound) L.popup().setLatLng(target).setContent(this.texts.compound(compound)).openOn(this.map);
		}
	}

	/** The person's position with its accuracy as a circle. */
	showPosition(fix: GpsFix): void {
		this.#layers.you.clearLayers();
		const at = this.#toLatLng(fix);
		L.circle(at, {
			radius: fix.accuracy,
			color: '#1d4ed8',
			weight: 1,
			fillOpacity: 0.12,
			interactive: false
		}).addTo(this.#layers.you);
		L.circleMarker(at, { radius: 8, color: '#fff', weight: 3, fillColor: '#1d4ed8', fillOpacity: 1 })
			.bindPopup(this.texts.you(fix))
			.addTo(this.#layers.you);
		this.map.setView(at, Math.max(this.map.getZoom(), 17));
	}

	destroy(): void {
		this.map.remove();
	}

	#zoomLayers(): void {
		const zoom = this.map.getZoom();
		this.#toggle(this.#layers.compounds, zoom >= zoomFor.compounds);
		this.#toggle(this.#layers.buildings, zoom >= zoomFor.buildings);
	}

	#toggle(layer: L.Layer, on: boolean): void {
		if (on && !this.map.hasLayer(layer)) layer.addTo(this.map);
		if (!on && this.map.hasLayer(layer)) layer.remove();
	}

	#drawLabels(): void {
		this.#layers.labels.clearLayers();
		if (this.map.getZoom() < zoomFor.labels) return;
		const view = this.map.getBounds();
		let shown = 0;
		for (const building of this.#places.buildings) {
			const at = this.#toLatLng(building.point);
			if (!view.contains(at)) continue;
			if (++shown > labelLimit) break;
			L.marker(at, {
				interactive: false,
				keyboard: false,
				icon: L.divIcon({
					className: 'map-label',
					html: escapeHtml(building.name),
					iconSize: [80, 18],
					iconAnchor: [40, -6]
				})
			}).addTo(this.#layers.labels);
		}
	}

	#drawRecords(): void {
		const layer = this.#layers.records;
		layer.clearLayers();
		const index = this.#index;
		if (!index) return;
		const view = this.map.getBounds().pad(0.25);
		const zoom = Math.round(this.map.getZoom());
		const features = index.getClusters(
			[view.getWest(), view.getSouth(), view.getEast(), view.getNorth()],
			zoom
		);
		for (const feature of features) {
			const [lng, lat] = feature.geometry.coordinates;
			const at = L.latLng(lat, lng);
			const props = feature.properties;
			if ('cluster' in props && props.cluster) {
				layer.addLayer(this.#clusterMarker(index, at, props.cluster_id, props.point_count, props));
			} else {
				layer.addLayer(this.#recordMarker(this.#records[feature.id as number], at));
			}
		}
	}

	#clusterMarker(
		index: Supercluster<ClusterProps, ClusterProps>,
		at: L.LatLng,
		clusterId: number,
		count: number,
		counts: ClusterProps
	): L.Marker {
		const size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 48;
		const label = this.texts.clusterLabel(count, counts);
		const marker = L.marker(at, {
			title: label,
			alt: label,
			icon: L.divIcon({
				className: 'map-cluster',
				// The fill: the most pressing status; the ring: the share of each status among its records.
				html: `<span class="ring" style="--ring:${ring(counts)};--size:${size}px"><span class="count" style="--c:${statusColours[worstGroup(counts)]}">${count < 1000 ? count : `${Math.round(count / 100) / 10}k`}</span></span>`,
				iconSize: [Math.max(44, size), Math.max(44, size)]
			})
		});
		marker.on('click', () => {
			const expansion = index.getClusterExpansionZoom(clusterId);
			if (expansion <= clusterMaxZoom && expansion <= this.map.getMaxZoom()) {
				this.map.setView(at, expansion);
				return;
			}
			// All at one spot: list them.
			const leaves = index.getLeaves(clusterId, 20).map((leaf) => this.#records[leaf.id as number]);
			L.popup().setLatLng(at).setContent(this.texts.spot(leaves)).openOn(this.map);
		});
		return marker;
	}

	#recordMarker(record: MapRecord, at: L.LatLng): L.Marker {
		const shape = record.kind === 'case' ? 'case' : 'observation';
		const label = this.texts.recordLabel(record);
		return L.marker(at, {
			title: label,
			alt: label,
			icon: L.divIcon({
				className: 'map-record',
				html: `<span class="${shape}" style="--c:${statusColours[record.group]}">${iconSvg(record.category, 18)}</span>`,
				iconSize: [44, 44]
			})
		}).bindPopup(() => this.texts.record(record));
	}
}
