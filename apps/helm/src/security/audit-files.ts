import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { PlatformConfig } from "@hivematrix/lib/config";
import { generatedSecretNames } from "@hivematrix/lib/secrets";
import type { Finding, Severity } from "./json.ts";

type Env = Record<string, string | undefined>;

/** Generated secrets shorter than this (in characters) are flagged; they are made 43 long. */
const MIN_SECRET_CHARS = 32;
const WEAK_VALUES = new Set([
  "admin",
  "password",
  "changeme",
  "change-me",
  "secret",
  "hivematrix",
  "keycloak",
  "test",
  "123456",
  "letmein",
  "default",
]);

function modeOf(path: string): number | null {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return null;
  }
}

const octal = (mode: number) => `0${mode.toString(8).padStart(3, "0")}`;

/** Modes of keys, secrets, the control socket, data and logs: what other users of the machine could read. */
export function permissionFindings(home: string): Finding[] {
  const findings: Finding[] = [];
  const check = (path: string, wanted: number, severity: Severity, what: string) => {
    const mode = modeOf(path);
    if (mode === null || (mode & ~wanted & 0o777) === 0) return;
    findings.push({
      check: "permissions",
      severity,
      title: `${path} is mode ${octal(mode)}; it should be ${octal(wanted)}`,
      detail: `${what} Other users of this machine can ${mode & 0o004 || mode & 0o040 ? "read" : "reach"} it.`,
      fix: `chmod ${octal(wanted)} ${path}`,
    });
  };
  for (const dir of ["keys", "secrets", "run"]) {
    const path = join(home, dir);
    check(
      path,
      0o700,
      "high",
      dir === "run"
        ? "The supervisor's control socket lives here: whoever opens it can stop every service."
        : `It holds ${dir === "keys" ? "Core's signing keys" : "every service's secret"}.`,
    );
    if (!existsSync(path)) continue;
    for (const name of readdirSync(path)) {
      if (dir === "run" && name !== "supervisor.sock") continue;
      check(
        join(path, name),
        0o600,
        "high",
        dir === "keys"
          ? "A signing key lets its reader forge any user's token."
          : dir === "run"
            ? "The control socket starts and stops services."
            : "A secret lets its reader act as that service.",
      );
    }
  }
  check(join(home, "data"), 0o700, "medium", "The SQLite databases hold sessions, logs and client data.");
  check(join(home, "logs"), 0o700, "medium", "Service output may name users and companies.");
  const homeMode = modeOf(home);
  if (homeMode !== null && homeMode & 0o002) {
    findings.push({
      check: "permissions",
      severity: "high",
      title: `${home} is writable by every user (mode ${octal(homeMode)})`,
      detail: "Anyone on this machine could replace keys, secrets or databases.",
      fix: `chmod 0700 ${home}`,
    });
  }
  return findings;
}

/** How to replace a generated secret that is weak: most are made afresh at the next start. */
function secretFix(config: PlatformConfig, name: string, path: string): string {
  if (config.idp.keycloakHome && name === "keycloak-admin")
    return (
      `Change the master realm admin's password in Keycloak and write the new one to ${path}` +
      " (deleting the file does not change Keycloak's password)."
    );
  if (config.idp.keycloakHome && name === config.idp.clientId)
    return (
      `Regenerate the ${name} client's secret in Keycloak (or run \`bun run keycloak:setup\` after deleting` +
      ` ${path}) and restart HiveMatrix.`
    );
  return `Delete ${path} and restart HiveMatrix: \`bun run start\` generates a strong one.`;
}

/**
 * Weak secrets: the ones HiveMatrix generates (a short or well-known value means someone
 * replaced it) and well-known values in `*_SECRET`, `*_PASSWORD` and `*_KEY` variables.
 * Credentials handed to HiveMatrix, like a vendor's API key, are as long as the vendor made
 * them: only their file mode is checked (permissionFindings).
 */
export function secretFindings(config: PlatformConfig, env: Env): Finding[] {
  const findings: Finding[] = [];
  const judge = (label: string, value: string, name: string, fix: string, byLength: boolean) => {
    const lower = value.toLowerCase();
    if (WEAK_VALUES.has(lower) || lower === name.toLowerCase()) {
      findings.push({
        check: "secret.weak",
        severity: "high",
        title: `${label} is a well-known default`,
        detail: `Its value is guessable ("${lower === name.toLowerCase() ? "its own name" : "a common default"}").`,
        fix,
      });
    } else if (byLength && value.length < MIN_SECRET_CHARS) {
      findings.push({
        check: "secret.short",
        severity: "high",
        title: `${label} is only ${value.length} characters long`,
        detail: `Secrets should be at least ${MIN_SECRET_CHARS} random characters; generated ones are 43.`,
        fix,
      });
    }
  };
  const dir = join(config.home, "secrets");
  const generated = generatedSecretNames(config);
  if (existsSync(dir)) {
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith(".secret"))
      .sort()) {
      const name = file.replace(/\.secret$/, "");
      if (!generated.has(name)) continue;
      const path = join(dir, file);
      let value: string;
      try {
        value = readFileSync(path, "utf8").trim();
      } catch {
        continue;
      }
      judge(`The secret ${path}`, value, name, secretFix(config, name, path), true);
    }
  }
  for (const [key, value] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (!value || !/(_SECRET|_PASSWORD|_KEY)$/.test(key) || /^NEXUS_TLS_KEY$/.test(key)) continue;
    judge(
      `The environment variable ${key}`,
      value,
      key,
      `Set ${key} to a value nobody could guess (e.g. \`openssl rand -base64 32\`).`,
      false,
    );
  }
  return findings;
}
