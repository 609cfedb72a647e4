import { z } from "zod";

/** Input building blocks shared by the request schemas, the forms and the bulk rows of every entity. */

const emptyToNull = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);

/** Optional free text; "" and null clear it. */
export const optText = (max = 500) => z.preprocess(emptyToNull, z.string().trim().max(max).nullable()).optional();
export const optEmail = () =>
  z
    .preprocess(
      emptyToNull,
      z
        .email("Not a valid email address.")
        .max(254)
        .transform((s) => s.toLowerCase())
        .nullable(),
    )
    .optional();
export const optDate = () =>
  z
    .preprocess(
      emptyToNull,
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD.")
        .refine(
          (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
          "Not a real date.",
        )
        .nullable(),
    )
    .optional();
export const optTimestamp = () =>
  z
    .preprocess(emptyToNull, z.union([z.iso.datetime({ offset: true }), z.iso.date()]).nullable())
    .optional()
    .transform((v) => (v === undefined ? undefined : v === null ? null : new Date(v)));
export const externalFields = {
  external_id: optText(100),
  external_source: optText(50),
};

export const accountNumberSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$/, "Letters, digits, dots, dashes and underscores; up to 50.");

export function externalCheck(
  v: { external_id?: string | null; external_source?: string | null },
  ctx: z.RefinementCtx,
) {
  if (Boolean(v.external_id) !== Boolean(v.external_source)) {
    ctx.addIssue({
      code: "custom",
      path: [v.external_id ? "external_source" : "external_id"],
      message: "external_id and external_source go together.",
    });
  }
}

/** A query flag: true/false or 1/0. */
export const boolish = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/** A record's id in a path: up to nine digits (anything else names nothing: 404). */
export const idParam = z
  .string()
  .regex(/^\d{1,9}$/)
  .transform(Number);
