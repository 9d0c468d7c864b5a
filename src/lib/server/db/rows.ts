import { getTableColumns, sql, type InferInsertModel, type InferSelectModel, type SQL } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

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

/**
 * Inserts many rows in one statement with ONE parameter: the rows as JSON, turned into the table's row
 * type by PostgreSQL (`json_populate_recordset`). Drizzle's multi-row `values()` builds a placeholder per
 * cell and spends longer building the SQL than the database spends running it. Columns a row leaves out
 * take their defaults; rows are grouped by the columns they set.
 */
export async function insertRows(db: Queryable, table: PgTable, rows: object[]): Promise<void> {
	const columns = getTableColumns(table);
	// The schema's columns are named by their keys, in snake_case in SQL (drizzle `casing: 'snake_case'`).
	const sqlName = (key: string) => (columns[key].keyAsName ? toSnakeCase(key) : columns[key].name);
	const groups = new Map<string, Record<string, unknown>[]>();
	for (const row of rows) {
		const byName: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(row)) {
			if (value !== undefined) byName[sqlName(key)] = value;
		}
		const shape = Object.keys(byName).join(',');
		const group = groups.get(shape);
		if (group) group.push(byName);
		else groups.set(shape, [byName]);
	}
	for (const [shape, group] of groups) {
		const names = sql.join(
			shape.split(',').map((name) => sql.identifier(name)),
			sql`, `
		);
		await db.execute(
			sql`INSERT INTO ${table} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${table}, ${JSON.stringify(group)}::json)`
		);
	}
}

/**
 * Updates many rows by id with ONE parameter, as `insertRows` inserts them: each row sets the columns it
 * names (besides `id`); rows are grouped by the columns they set.
 */
export async function updateRows(
	db: Queryable,
	table: PgTable,
	rows: ({ id: string } & object)[]
): Promise<void> {
	const columns = getTableColumns(table);
	const sqlName = (key: string) => (columns[key].keyAsName ? toSnakeCase(key) : columns[key].name);
	const groups = new Map<string, Record<string, unknown>[]>();
	for (const row of rows) {
		const byName: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(row)) if (value !== undefined) byName[sqlName(key)] = value;
		const shape = Object.keys(byName)
			.filter((name) => name !== 'id')
			.join(',');
		const group = groups.get(shape);
		if (group) group.push(byName);
		else groups.set(shape, [byName]);
	}
	for (const [shape, group] of groups) {
		if (!shape) continue;
		const sets = sql.join(
			shape.split(',').map((name) => sql`${sql.identifier(name)} = s.${sql.identifier(name)}`),
			sql`, `
		);
		await db.execute(
			sql`UPDATE ${table} SET ${sets} FROM json_populate_recordset(NULL::${table}, ${JSON.stringify(group)}::json) s WHERE ${table}.id = s.id`
		);
	}
}

/** Anything that runs SQL: the database or a transaction. */
interface Queryable {
	execute(query: SQL): Promise<unknown>;
}

/** `column = ANY($1)` with the values as ONE array parameter: drizzle's `inArray` makes a parameter of each. */
export function anyOf(column: PgColumn, values: readonly string[]): SQL {
	return sql`${column} = ANY(${sql.param(values)})`;
}
