import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const TEMPLATE = join(import.meta.dir, "template");

/** Names Nexus keeps for itself or the platform already uses for a process. */
const RESERVED = new Set(["static", "keycloak", "keycloak-callback", "login", "logout", "signed-out", "health", "idp"]);

export interface NewApp {
  name: string;
  port: number;
  /** Files written, relative to the repository root. */
  files: string[];
}

/** The spellings of an app's name each place needs: `asset-tracker` → AssetTracker, assetTracker, ASSET_TRACKER. */
export function spellings(name: string) {
  const words = name.split("-");
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  return {
    __name__: name,
    __Name__: words.map(cap).join(""),
    __camel__: words[0] + words.slice(1).map(cap).join(""),
    __NAME__: words.join("_").toUpperCase(),
    __snake__: words.join("_"),
    __Title__: words.map(cap).join(" "),
  };
}

/** Why `name` cannot be a new app, or null when it can. */
export function nameProblem(root: string, name: string, registry: Record<string, unknown>): string | null {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name) || name.length > 30)
    return `"${name}" is not a plain app name: lower-case letters and digits, words joined by "-", at most 30`;
  if (RESERVED.has(name)) return `"${name}" is a path Nexus or the platform keeps for itself`;
  if (registry[name]) return `services.json already has "${name}"`;
  if (existsSync(join(root, "apps", name))) return `apps/${name} already exists`;
  return null;
}

/** The first port from 5100 up, in steps of 10, that no entry of the registry uses. */
export function freeRegistryPort(registry: Record<string, { port: number }>): number {
  const used = new Set(Object.values(registry).map((e) => e.port));
  let port = 5100;
  while (used.has(port)) port += 10;
  return port;
}

function templateFiles(dir = TEMPLATE): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? templateFiles(path) : [path];
  });
}

/**
 * Writes apps/<name> from the template and adds it to services.json (loopback, visible, open to
 * every level). Installing the workspace and generating the migrations are the caller's next steps.
 */
export function scaffold(root: string, name: string, port?: number): NewApp {
  const registryFile = join(root, "services.json");
  const registry = JSON.parse(readFileSync(registryFile, "utf8")) as Record<string, { port: number }>;
  const problem = nameProblem(root, name, registry);
  if (problem) throw new Error(problem);
  const chosen = port ?? freeRegistryPort(registry);
  if (!Number.isInteger(chosen) || chosen < 1024 || chosen > 65535)
    throw new Error(`--port must be a whole number from 1024 to 65535 (got ${port})`);
  const taken = Object.entries(registry).find(([, e]) => e.port === chosen);
  if (taken) throw new Error(`port ${chosen} is ${taken[0]}'s in services.json`);
  const names = spellings(name);
  const files: string[] = [];
  for (const source of templateFiles()) {
    let text = readFileSync(source, "utf8");
    for (const [placeholder, value] of Object.entries(names)) text = text.replaceAll(placeholder, value);
    const target = join(root, "apps", name, relative(TEMPLATE, source).replace(/\.tmpl$/, ""));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    files.push(relative(root, target));
  }
  registry[name] = {
    url: `http://127.0.0.1:${chosen}`,
    port: chosen,
    title: names.__Title__,
    description: `What ${names.__Title__} is for`,
    visible: true,
    permission: null,
  } as never;
  writeFileSync(registryFile, `${JSON.stringify(registry, null, 2)}\n`);
  return { name, port: chosen, files: files.sort() };
}
