import { getTableColumns, type InferInsertModel, type InferSelectModel } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * Domain records travel with ISO time strings; rows hold Dates. These two turn one into the other
 * for any table whose column names match the record's fields, so no collection needs its own mapper.
 */
export function toRow<T extends PgTable>(table: T, record: object, extra: object = {}): InferInsertModel<T> {
	const row: Record<string, unknown> = {};
	const values = { ...record, ...extra } as Record<string, unknown>;
	for (const [key, column] of Object.entries(getTableColumns(table))) {
		const value = values[key];
		if (value === undefined) continue;
		row[key] = column.columnType === 'PgTimestamp' && typeof value === 'string' ? new Date(value) : value;
	}
	return row as InferInsertModel<T>;
}

export function toRecord<T extends PgTable, K extends string>(
	row: InferSelectModel<T>,
	fields: readonly K[]
): Record<K, unknown> {
	const record = {} as Record<K, unknown>;
	const values = row as Record<string, unknown>;
	for (const field of fields) {
		const value = values[field];
		record[field] = value instanceof Date ? value.toISOString() : value;
	}
	return record;
}
