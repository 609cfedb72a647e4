import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { OperationRefused } from "./errors.ts";

/** Where an entry goes back: `home/…` under HIVEMATRIX_HOME, `postgres/<app>.dump`, `settings/<file>`. */
const archivePath = z
  .string()
  .regex(/^(home|postgres|settings)\/[A-Za-z0-9._@+-]+(\/[A-Za-z0-9._@+-]+)*$/, "an archive path")
  .refine((p) => !p.split("/").some((part) => part === "." || part === ".."), "no . or .. segments");

const fileSchema = z
  .object({
    path: archivePath,
    size: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    mode: z.number().int().min(0).max(0o777),
  })
  .strict();

const schemaVersion = z.object({ migrations: z.number().int().min(0), latest: z.number().int().nullable() }).strict();

const databaseSchema = z
  .object({
    /** The app (services.json's name, or dev-idp) the database belongs to; a stray file's own name. */
    app: z.string().min(1).max(200),
    engine: z.enum(["sqlite", "postgres"]),
    path: archivePath,
    /** Whether the app used it when the backup was made (an app moved to Postgres may leave its old file). */
    inUse: z.boolean(),
    /** Where it was read from, for people (a file, or the variable and its URL without password). */
    source: z.string(),
    /** Its drizzle migrations, or null for a database without them (the dev IdP's). */
    schema: schemaVersion.nullable(),
    /** The PostgreSQL server's version and the pg_dump that wrote the dump. */
    serverVersion: z.string().nullable(),
    dumpVersion: z.string().nullable(),
  })
  .strict();

const settingsSchema = z
  .object({
    path: archivePath,
    name: z.enum(["services.json", ".env", ".env.local", ".env.production", ".env.development"]),
  })
  .strict();

export const manifestSchema = z
  .object({
    format: z.literal("hivematrix-backup/1"),
    /** When the backup began: every write acknowledged before this is in it. */
    createdAt: z.iso.datetime(),
    version: z.string(),
    host: z.string(),
    home: z.string(),
    bun: z.string(),
    files: z.array(fileSchema),
    databases: z.array(databaseSchema),
    settings: z.array(settingsSchema),
  })
  .strict();

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = Manifest["files"][number];
export type ManifestDatabase = Manifest["databases"][number];
export type SettingsFileName = Manifest["settings"][number]["name"];

export const MANIFEST_ENTRY = "manifest.json";
export const MANIFEST_MAC_ENTRY = "manifest.hmac";

export function manifestMac(bytes: Uint8Array, key: Buffer): string {
  return createHmac("sha256", key).update(bytes).digest("hex");
}

/**
 * The manifest an archive carries, once its MAC proves that whoever made it held the backup key
 * (anyone who knows the public key can encrypt an archive; only the key's holder can authenticate it).
 */
export function verifiedManifest(bytes: Uint8Array, mac: string, key: Buffer): Manifest {
  const expected = Buffer.from(manifestMac(bytes, key), "hex");
  const given = Buffer.from(mac.trim(), "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new OperationRefused("the backup's manifest has been altered (its authentication does not match the key)");
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new OperationRefused("the backup's manifest is not valid JSON");
  }
  const result = manifestSchema.safeParse(parsed);
  if (!result.success)
    throw new OperationRefused(
      `the backup's manifest is not one this version reads (${result.error.issues[0]?.path.join(".")}: ` +
        `${result.error.issues[0]?.message})`,
    );
  const paths = new Set<string>();
  for (const f of result.data.files) {
    if (paths.has(f.path)) throw new OperationRefused(`the backup's manifest lists ${f.path} twice`);
    paths.add(f.path);
  }
  for (const ref of [...result.data.databases, ...result.data.settings])
    if (!paths.has(ref.path))
      throw new OperationRefused(`the backup's manifest names ${ref.path} but does not list it`);
  return result.data;
}
