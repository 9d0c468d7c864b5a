/**
 * Where the map's tiles come from (README "Configuration"): the deployment's PUBLIC_TILE_* settings with
 * OpenStreetMap's standard tiles as the default. Pure, so the rules are tested without a browser.
 */

/** The coordinate system the tiles are drawn in. Data is WGS-84 everywhere; GCJ-02 tiles need conversion. */
export type TileCrs = 'wgs84' | 'gcj02';

export interface TileConfig {
	/** A Leaflet URL template: `{z}`, `{x}`, `{y}`, optionally `{s}` subdomains and `{r}`. */
	url: string;
	attribution: string;
	maxZoom: number;
	crs: TileCrs;
	/** Whether the tile server's policy allows bulk download ("keep this grid available offline"). */
	prefetch: boolean;
}

export const defaultTiles: TileConfig = {
	url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
	attribution: '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
	maxZoom: 19,
	crs: 'wgs84',
	// The public OpenStreetMap servers forbid bulk download.
	prefetch: false
};

/** The tile settings from the public environment; a missing or unreadable value keeps its default. */
export function tileConfig(env: Record<string, string | undefined>): TileConfig {
	const url = env.PUBLIC_TILE_URL?.trim();
	const maxZoom = Number(env.PUBLIC_TILE_MAX_ZOOM);
	const crs = env.PUBLIC_TILE_CRS?.trim().toLowerCase();
	return {
		url: url || defaultTiles.url,
		// A custom server has its own attribution; OpenStreetMap's only goes with OpenStreetMap's tiles.
		attribution: env.PUBLIC_TILE_ATTRIBUTION?.trim() || (url ? '' : defaultTiles.attribution),
		maxZoom: Number.isInteger(maxZoom) && maxZoom >= 1 && maxZoom <= 22 ? maxZoom : defaultTiles.maxZoom,
		crs: crs === 'gcj02' ? 'gcj02' : 'wgs84',
		prefetch: env.PUBLIC_TILE_PREFETCH === '1'
	};
}
