import { z } from "zod";
import type { CsvColumns, CsvKind } from "./csv.ts";

/**
 * An entity's fields, written once (the entity's json.ts): each field's API name is its key; the
 * spec says what the API answers for it, what it takes (request schemas, bulk and CSV rows), its
 * CSV column and how the form shows it. The helpers below derive each of those from the spec.
 */

/** How a field shows on a form (lib/ui Field's props). */
export interface FormField {
  label: string;
  type?: "text" | "email" | "tel" | "date" | "textarea" | "select" | "checkbox";
  hint?: string;
  /** Spans the form's width. */
  full?: boolean;
  rows?: number;
  options?: readonly { value: string; label: string }[];
  /** A list typed as comma-separated text (account numbers). */
  list?: boolean;
}

export interface Field {
  /** The table column it reads and writes one to one; none: the data module fills it. */
  column?: string;
  /** What the API answers for it. */
  output: z.ZodType;
  /** What the API takes for it (updates take it optionally); none: read-only. */
  input?: z.ZodType;
  /** Its CSV column's kind; none: not in CSV exports and imports. */
  csv?: CsvKind;
  /** How the form shows it; none: not on the form. */
  form?: FormField;
}

export type Fields = Record<string, Field>;

/** A date column as JSON shows it: an ISO timestamp (the other column types stay as drizzle-zod reads them). */
type AsJson<T> =
  T extends z.ZodNullable<z.ZodDate> ? z.ZodNullable<z.ZodISODateTime> : T extends z.ZodDate ? z.ZodISODateTime : T;

/**
 * A field read straight from a column: its output schema is the column's (drizzle-zod's
 * `createSelectSchema(table).shape`), dates as ISO timestamps.
 */
export function fromColumn<S extends Record<string, z.ZodType>, K extends keyof S & string>(
  columns: S,
  column: K,
): { column: K; output: AsJson<S[K]> } {
  const schema = columns[column]!;
  const iso = z.iso.datetime();
  const output =
    schema instanceof z.ZodDate
      ? iso
      : schema instanceof z.ZodNullable && schema.unwrap() instanceof z.ZodDate
        ? iso.nullable()
        : schema;
  return { column, output: output as AsJson<S[K]> };
}

type OutputShape<F extends Fields> = { [K in keyof F]: F[K]["output"] };
type InputKey<F extends Fields> = { [K in keyof F]: F[K]["input"] extends z.ZodType ? K : never }[keyof F];
export type InputShape<F extends Fields> = { [K in InputKey<F>]: Exclude<F[K]["input"], undefined> };
type ComputedKey<F extends Fields> = { [K in keyof F]: F[K]["column"] extends string ? never : K }[keyof F];

/** The entity's JSON shape (the response schema); `id` names it in the API document. */
export function responseSchema<F extends Fields>(fields: F, id: string): z.ZodObject<OutputShape<F>> {
  const shape = Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.output]));
  return z.object(shape as OutputShape<F>).meta({ id });
}

/** The fields the API takes, with their schemas, for the entity's request schemas. */
export function inputShape<F extends Fields>(fields: F): InputShape<F> {
  return Object.fromEntries(
    Object.entries(fields).flatMap(([name, field]) => (field.input ? [[name, field.input]] : [])),
  ) as InputShape<F>;
}

/**
 * The serializer: a row as the API shows it. Column fields are read from the row (dates as ISO
 * timestamps); `computed` gives the others (names of linked records, a plan's name).
 */
export function toJson<F extends Fields>(
  fields: F,
  row: object,
  computed: { [K in ComputedKey<F>]: z.infer<F[K]["output"]> },
): z.infer<z.ZodObject<OutputShape<F>>> {
  const values = row as Record<string, unknown>;
  const extra = computed as Record<string, unknown>;
  const json: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    const value = field.column ? values[field.column] : extra[name];
    json[name] = value instanceof Date ? value.toISOString() : value;
  }
  return json as z.infer<z.ZodObject<OutputShape<F>>>;
}

/** Checked input → the row's columns; fields not sent stay out, so an update changes only what was sent. */
export function toColumns<Row>(fields: Fields, input: Record<string, unknown>): Partial<Row> {
  const columns: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields))
    if (field.column && field.input && input[name] !== undefined) columns[field.column] = input[name];
  return columns as Partial<Row>;
}

/** The CSV columns (exports and imports), in the spec's order. */
export function csvColumns(fields: Fields): CsvColumns {
  return Object.entries(fields).flatMap(([name, field]) => (field.csv ? [[name, field.csv] as const] : []));
}

/** A form field with its name. */
export type NamedFormField = FormField & { name: string };

/** The form's fields, in the order the form shows them. */
export function formFields<F extends Fields>(fields: F, names: readonly (keyof F & string)[]): NamedFormField[] {
  return names.map((name) => {
    const form = fields[name]!.form;
    if (!form) throw new Error(`${name} has no form field`);
    return { ...form, name };
  });
}
