import { z } from "zod";
import { ConfigError } from "./config.ts";

type Env = Record<string, string | undefined>;

/**
 * An app's own settings: one zod object keyed by environment variable name, read once at start-up.
 * An empty variable counts as unset; a bad value stops start-up with one line naming the variable.
 */
export function readEnv<S extends z.ZodObject>(schema: S, env: Env = process.env): z.output<S> {
  const raw = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k] === "" ? undefined : env[k]]));
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? "(settings)");
  throw new ConfigError(`${name} ${issue.message} (got ${JSON.stringify(env[name])})`);
}

/** A whole number within [min, max]; `fallback` when unset. */
export const envInt = (fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      const n = Number(raw.trim());
      if (Number.isInteger(n) && n >= min && n <= max) return n;
      ctx.addIssue({ code: "custom", message: `must be a whole number from ${min} to ${max}` });
      return z.NEVER;
    });

/** `true`/`false` (also 1/0, yes/no); `fallback` when unset. */
export const envBool = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      const v = raw.trim().toLowerCase();
      if (["true", "1", "yes"].includes(v)) return true;
      if (["false", "0", "no"].includes(v)) return false;
      ctx.addIssue({ code: "custom", message: "must be true or false" });
      return z.NEVER;
    });

/** One of `values`; `fallback` when unset. */
export const envEnum = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      if ((values as readonly string[]).includes(raw)) return raw as T[number];
      ctx.addIssue({ code: "custom", message: `must be one of ${values.join(", ")}` });
      return z.NEVER;
    });

/** Free text, or null when unset. */
export const envText = () =>
  z
    .string()
    .optional()
    .transform((raw) => raw ?? null);
