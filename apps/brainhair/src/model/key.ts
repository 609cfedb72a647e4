import { existsSync, readFileSync, statSync } from "node:fs";
import { ConfigError } from "@hivematrix/lib/config";
import { secretPath } from "@hivematrix/lib/secrets";

/** Where the Anthropic key came from; the key itself never leaves this process's memory. */
export type KeySource = "environment" | "secret-file" | "none";

export interface ModelKey {
  key: string | null;
  source: KeySource;
  /** The file an admin writes the key to, for the pages that say what to configure. */
  file: string;
}

/**
 * ANTHROPIC_API_KEY, else HIVEMATRIX_HOME/secrets/anthropic.secret. A key file others may read
 * stops the start (a leaked key costs money), with the command that fixes it.
 */
export function readModelKey(home: string, fromEnv: string | null): ModelKey {
  const file = secretPath(home, "anthropic");
  if (fromEnv) return { key: fromEnv.trim(), source: "environment", file };
  if (!existsSync(file)) return { key: null, source: "none", file };
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077)
    throw new ConfigError(`${file} is readable by others (mode 0${mode.toString(8)}): run chmod 600 ${file}`);
  const key = readFileSync(file, "utf8").trim();
  return key ? { key, source: "secret-file", file } : { key: null, source: "none", file };
}
