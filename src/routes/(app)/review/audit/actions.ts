import { collectionNames, collections, type CollectionSpec } from '$lib/sync/collections';

/** What the audit page offers to filter by: every collection, and every action the server writes. */
export const auditCollections = collectionNames;

export const auditActions = [
	...new Set([
		...collectionNames.flatMap((name) => {
			const spec: CollectionSpec = collections[name];
			return [
				...(spec.create ? [`${name}.create`] : []),
				...(spec.editable?.length ? [`${name}.update`] : []),
				...(spec.deletable ? [`${name}.delete`] : [])
			];
		}),
		'case.transition',
		'case.assign',
		'caseEvent.add',
		'export.personal',
		'reference.import',
		'reference.create',
		'reference.update'
	])
];
