import type { MapTexts } from '$lib/client/map/districtMap';
import { escapeHtml } from '$lib/client/map/html';
import {
	recordsAt,
	statusColours,
	statusShares,
	type MapPlaces,
	type MapRecord
} from '$lib/client/map/mapData';
import type { Building, Compound } from '$lib/domain';
import { t, type Locale, type MessageKey } from '$lib/i18n';
import { shortTime } from '$lib/i18n/format';

const escape = escapeHtml;

/** How many records a building's popup lists before "n more". */
const listed = 6;

/**
 * The popups' HTML and the markers' names in the person's language. Every value from the data is escaped;
 * links are ordinary anchors, so the app's router opens them.
 */
export function mapTexts(
	locale: Locale,
	{
		places,
		records,
		userNames
	}: {
		places: Pick<MapPlaces, 'compounds' | 'buildings'>;
		records: readonly MapRecord[];
		userNames: Map<string, string>;
	}
): MapTexts {
	const tr = (key: MessageKey, params?: Record<string, string | number>) => escape(t(locale, key, params));
	// One formatter for every figure: `toLocaleString` would make one per call (hundreds per drawing).
	const number = new Intl.NumberFormat(locale).format;
	const compoundsById = new Map(places.compounds.map((c) => [c.id, c]));
	const buildingsByCompound = new Map<string, number>();
	for (const b of places.buildings)
		buildingsByCompound.set(b.compoundId, (buildingsByCompound.get(b.compoundId) ?? 0) + 1);
	const openByCompound = new Map<string, number>();
	for (const r of records) {
		if (r.kind === 'case' && (r.group === 'open' || r.group === 'overdue')) {
			openByCompound.set(r.compoundId, (openByCompound.get(r.compoundId) ?? 0) + 1);
		}
	}

	const what = (r: MapRecord) =>
		r.kind === 'case' ? escape(r.title) : tr(`subtype.${r.title}` as MessageKey);
	// The status in words, coloured by where it stands; "overdue" said too, as the status does not say it.
	const statusLine = (r: MapRecord) =>
		`<span class="map-status" style="--c:${statusColours[r.group]}">${tr(`caseStatus.${r.status}`)}${
			r.group === 'overdue' ? ` · ${tr('map.group.overdue')}` : ''
		}</span>`;
	const link = (r: MapRecord) =>
		r.href ? `<a class="map-open" href="${escape(r.href)}">${tr('map.record.open')}</a>` : '';
	const row = (r: MapRecord) =>
		`<li><span class="map-kind">${tr(`map.record.${r.kind}`)}</span> ${what(r)}<br>${statusLine(r)} ${link(r)}</li>`;

	return {
		grid({ grid, figures }) {
			const leader = grid.leaderUserId ? userNames.get(grid.leaderUserId) : undefined;
			const satisfaction =
				figures.satisfaction === null
					? tr('map.grid.noAnswers')
					: tr('map.grid.satisfaction', {
							percent: Math.round(figures.satisfaction * 100),
							answers: number(figures.answers)
						});
			return `<div class="map-popup"><h3>${escape(grid.name)}</h3><p>${[
				leader ? tr('map.grid.leader', { name: leader }) : '',
				tr('map.grid.compounds', { count: number(grid.compoundIds.length) }),
				`${tr('map.grid.open', { count: number(figures.open) })} · ${tr('map.grid.overdue', { count: number(figures.overdue) })}`,
				satisfaction
			]
				.filter(Boolean)
				.join('<br>')}</p></div>`;
		},
		compound(compound: Compound) {
			return `<div class="map-popup"><h3>${escape(compound.name)}</h3><p>${[
				escape(compound.address),
				`${tr('map.compound.households', { count: number(compound.households) })} · ${tr('map.compound.buildings', { count: number(buildingsByCompound.get(compound.id) ?? 0) })}`,
				tr('map.compound.open', { count: number(openByCompound.get(compound.id) ?? 0) })
			].join('<br>')}</p></div>`;
		},
		building(building: Building) {
			const here = recordsAt(records, building.id);
			const compound = compoundsById.get(building.compoundId)?.name ?? '';
			const list = here.length
				? `<p><strong>${tr('map.building.records')}</strong></p><ul>${here.slice(0, listed).map(row).join('')}</ul>${
						here.length > listed ? `<p>${tr('map.building.more', { count: here.length - listed })}</p>` : ''
					}`
				: `<p>${tr('map.building.none')}</p>`;
			return `<div class="map-popup"><h3>${escape(compound)} ${escape(building.name)}</h3><p>${tr(
				'map.building.facts',
				{
					floors: number(building.floors),
					units: number(building.units),
					households: number(building.households)
				}
			)}</p>${list}</div>`;
		},
		record(r: MapRecord) {
			const compound = compoundsById.get(r.compoundId)?.name ?? '';
			return `<div class="map-popup"><p class="map-kind">${tr(`map.record.${r.kind}`)} · ${tr(`category.${r.category}`)}</p><h3>${what(r)}</h3><p>${statusLine(r)}<br>${escape(compound)}<br>${escape(shortTime(r.at, locale))}</p>${
				r.href ? `<p>${link(r)}</p>` : r.kind === 'observation' ? `<p>${tr('map.record.notMine')}</p>` : ''
			}</div>`;
		},
		spot(list: MapRecord[]) {
			return `<div class="map-popup"><h3>${tr('map.spot', { count: number(list.length) })}</h3><ul>${list.map(row).join('')}</ul></div>`;
		},
		recordLabel: (r) =>
			`${t(locale, `map.record.${r.kind}`)}: ${r.kind === 'case' ? r.title : t(locale, `subtype.${r.title}` as MessageKey)} (${t(locale, `map.group.${r.group}`)})`,
		clusterLabel: (count, counts) =>
			t(locale, 'map.cluster.mix', {
				label: t(locale, 'map.cluster', { count: number(count) }),
				mix: statusShares(counts)
					.map(({ group, count }) =>
						t(locale, 'map.cluster.share', { group: t(locale, `map.group.${group}`), count: number(count) })
					)
					.join(t(locale, 'map.cluster.separator'))
			}),
		you: (fix) => tr('map.you', { meters: number(Math.round(fix.accuracy)) })
	};
}
