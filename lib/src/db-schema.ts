/**
 * One schema for both engines: apps declare tables once with drizzle's pg-core builders, and
 * `toSqliteSchema` derives the equivalent SQLite tables (same names, same TypeScript shapes).
 * Only the column kinds below are allowed, so every value round-trips identically on both.
 */
import { getTableConfig, PgTable, type PgColumn } from "drizzle-orm/pg-core";
import {
  foreignKey,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  unique,
  uniqueIndex,
  type SQLiteColumnBuilderBase,
  type SQLiteTableWithColumns,
} from "drizzle-orm/sqlite-core";
import { is, SQL } from "drizzle-orm";

type AnyBuilder = SQLiteColumnBuilderBase & {
  notNull(): AnyBuilder;
  primaryKey(config?: { autoIncrement?: boolean }): AnyBuilder;
  default(value: unknown): AnyBuilder;
  $defaultFn(fn: () => unknown): AnyBuilder;
  $onUpdateFn(fn: () => unknown): AnyBuilder;
  unique(name?: string): AnyBuilder;
};

function sqliteColumnFor(col: PgColumn, tableName: string): AnyBuilder {
  const name = col.name;
  const enumValues = col.enumValues as [string, ...string[]] | undefined;
  switch (col.columnType) {
    case "PgSerial":
    case "PgInteger":
    case "PgSmallInt":
    case "PgBigInt53":
    case "PgBigSerial53":
      return integer(name) as unknown as AnyBuilder;
    case "PgText":
    case "PgVarchar":
    case "PgTimestampString":
    case "PgDateString":
    case "PgUUID":
      return (enumValues?.length ? text(name, { enum: enumValues }) : text(name)) as unknown as AnyBuilder;
    case "PgBoolean":
      return integer(name, { mode: "boolean" }) as unknown as AnyBuilder;
    case "PgTimestamp":
    case "PgDate":
      return integer(name, { mode: "timestamp_ms" }) as unknown as AnyBuilder;
    case "PgJsonb":
    case "PgJson":
      return text(name, { mode: "json" }) as unknown as AnyBuilder;
    case "PgDoublePrecision":
    case "PgReal":
      return real(name) as unknown as AnyBuilder;
    default:
      throw new Error(
        `${tableName}.${name}: column type ${col.columnType} has no SQLite equivalent; use integer cents, text, boolean, timestamp, jsonb or doublePrecision`,
      );
  }
}

function isSqlDefault(value: unknown): boolean {
  return is(value, SQL);
}

// biome-ignore lint/suspicious/noExplicitAny: converted tables are typed by the pg schema they mirror
type AnySqliteTable = SQLiteTableWithColumns<any>;

/** Converts one pg table; `resolve` maps referenced pg tables to their SQLite twins. */
function convertTable(table: PgTable, resolve: (t: PgTable) => AnySqliteTable) {
  const config = getTableConfig(table);
  const columnKeys = new Map<string, string>();
  for (const [key, col] of Object.entries(table)) {
    if (col && typeof col === "object" && "columnType" in col) columnKeys.set((col as PgColumn).name, key);
  }
  const builders: Record<string, AnyBuilder> = {};
  for (const col of config.columns) {
    let b = sqliteColumnFor(col, config.name);
    const autoIncrement =
      col.columnType === "PgSerial" || col.columnType === "PgBigSerial53" || col.generatedIdentity !== undefined;
    if (col.primary) b = b.primaryKey(autoIncrement ? { autoIncrement: true } : undefined);
    if (col.notNull && !col.primary) b = b.notNull();
    if (col.default !== undefined) {
      if (isSqlDefault(col.default)) {
        throw new Error(`${config.name}.${col.name}: SQL defaults differ between engines; use $defaultFn`);
      }
      b = b.default(col.default);
    }
    if (col.defaultFn) b = b.$defaultFn(col.defaultFn);
    if (col.onUpdateFn) b = b.$onUpdateFn(col.onUpdateFn);
    if (col.isUnique) b = b.unique(col.uniqueName);
    builders[columnKeys.get(col.name) ?? col.name] = b;
  }
  const keyOf = (c: { name: string }) => columnKeys.get(c.name) ?? c.name;
  return sqliteTable(config.name, builders as Record<string, SQLiteColumnBuilderBase>, (t) => {
    const cols = t as unknown as Record<string, never>;
    const extras: unknown[] = [];
    for (const idx of config.indexes) {
      const names = idx.config.columns.map((c) => {
        if (is(c, SQL) || !c || !("name" in c) || !c.name)
          throw new Error(`${config.name}: expression indexes are not portable; add them in a custom migration`);
        return cols[keyOf(c as { name: string })]!;
      });
      const builder = idx.config.unique ? uniqueIndex(idx.config.name!) : index(idx.config.name!);
      extras.push(builder.on(...(names as [never, ...never[]])));
    }
    for (const fk of config.foreignKeys) {
      const ref = fk.reference();
      const foreign = resolve(ref.foreignTable);
      const fcols = foreign as unknown as Record<string, never>;
      const foreignKeys = new Map<string, string>();
      for (const [key, col] of Object.entries(ref.foreignTable)) {
        if (col && typeof col === "object" && "columnType" in col) foreignKeys.set((col as PgColumn).name, key);
      }
      let b = foreignKey({
        name: fk.getName(),
        columns: ref.columns.map((c) => cols[keyOf(c)]!) as [never, ...never[]],
        foreignColumns: ref.foreignColumns.map((c) => fcols[foreignKeys.get(c.name) ?? c.name]!) as [never, ...never[]],
      });
      if (fk.onDelete) b = b.onDelete(fk.onDelete);
      if (fk.onUpdate) b = b.onUpdate(fk.onUpdate);
      extras.push(b);
    }
    for (const pk of config.primaryKeys) {
      extras.push(
        primaryKey({ name: pk.getName(), columns: pk.columns.map((c) => cols[keyOf(c)]!) as [never, ...never[]] }),
      );
    }
    for (const u of config.uniqueConstraints) {
      extras.push(unique(u.getName()).on(...(u.columns.map((c) => cols[keyOf(c)]!) as [never, ...never[]])));
    }
    return extras as never;
  });
}

/** Derives the SQLite twin of every pg table in `schema`, keeping the schema's TypeScript types. */
export function toSqliteSchema<S extends Record<string, unknown>>(schema: S): S {
  const converted = new Map<PgTable, AnySqliteTable>();
  const resolve = (t: PgTable): AnySqliteTable => {
    let hit = converted.get(t);
    if (!hit) {
      hit = convertTable(t, resolve);
      converted.set(t, hit);
    }
    return hit;
  };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = is(value, PgTable) ? resolve(value) : value;
  }
  return out as S;
}
