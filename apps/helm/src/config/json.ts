import { z } from "zod";
import { PERMISSION_LEVELS } from "@hivematrix/lib/config";

export const settingSchema = z
  .object({
    name: z.string(),
    value: z.string().meta({ description: "Secrets are masked; a URL keeps everything but its password" }),
    source: z.enum(["environment", "default", "services.json", "derived"]),
    masked: z.boolean(),
  })
  .meta({ id: "Setting" });

export type Setting = z.infer<typeof settingSchema>;

export const appSettingsSchema = z.object({ service: z.string(), title: z.string(), settings: z.array(settingSchema) });
export type AppSettings = z.infer<typeof appSettingsSchema>;

/** A secret file, never its contents. */
export const secretFileSchema = z.object({
  name: z.string(),
  path: z.string(),
  mode: z.string().meta({ description: "Octal, e.g. 0600" }),
  length: z.number().int().meta({ description: "In characters" }),
});
export type SecretFileInfo = z.infer<typeof secretFileSchema>;

/** A service as services.json registers it. */
const serviceEntrySchema = z
  .object({
    name: z.string(),
    url: z.string(),
    host: z.string(),
    port: z.number().int(),
    title: z.string(),
    description: z.string(),
    visible: z.boolean(),
    permission: z.enum(PERMISSION_LEVELS).nullable(),
    publicPaths: z.array(z.string()),
  })
  .meta({ id: "ServiceEntry" });

export const configSchema = z.object({
  services_file: z.string(),
  services: z.record(z.string(), serviceEntrySchema).meta({ description: "services.json as loaded" }),
  platform: z.array(settingSchema),
  identity_provider: z.array(settingSchema),
  apps: z.array(appSettingsSchema),
  secrets: z.array(secretFileSchema),
});
