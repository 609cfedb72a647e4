import { z } from "zod";
import { idParam, optText } from "../../shared/input.ts";

/** Feature categories (antivirus, backup…) and their options, which plans include and companies override. */

export const categoryCreateSchema = z
  .object({
    key: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{0,49}$/, "Lower-case letters, digits and underscores."),
    name: z.string().trim().min(1, "Required.").max(100),
    description: optText(500),
  })
  .strict();
export type CategoryCreate = z.infer<typeof categoryCreateSchema>;

export const optionCreateSchema = z
  .object({
    category: z.string().trim().min(1).max(50),
    value: z.string().trim().min(1, "Required.").max(100),
    display_name: z.string().trim().min(1).max(200).optional(),
    description: optText(500),
  })
  .strict();
export type OptionCreate = z.infer<typeof optionCreateSchema>;

/** category key → option value; null removes the category from the plan (or the override). */
export const featureChoiceSchema = z.record(z.string().max(50), z.string().max(100).nullable());
export type FeatureChoices = z.infer<typeof featureChoiceSchema>;

export const optionSchema = z.object({
  id: z.number().int(),
  value: z.string(),
  display_name: z.string(),
  description: z.string().nullable(),
});

export const categorySchema = z.object({
  id: z.number().int(),
  key: z.string(),
  name: z.string(),
  description: z.string().nullable(),
});

export const catalogSchema = z
  .object({ items: z.array(categorySchema.extend({ options: z.array(optionSchema) })) })
  .meta({ id: "FeatureCatalog" });
export type FeatureCatalog = z.infer<typeof catalogSchema>["items"];

/** A company's features: its plan's options with its own overrides laid over them. */
export const companyFeaturesSchema = z.object({
  items: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      value: z.string().nullable(),
      display_name: z.string().nullable(),
      source: z.enum(["override", "plan", "none"]),
    }),
  ),
});
export type CompanyFeature = z.infer<typeof companyFeaturesSchema>["items"][number];

export const featureParams = z.object({ id: idParam });
