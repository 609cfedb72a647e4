import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";

/**
 * The layout's import rules (DESIGN.md "Inside an app"), checked over the source tree:
 * - an app never imports another app, and lib never imports an app;
 * - scripts import lib and only what an app's package.json exports;
 * - inside an app, no feature imports another feature's routes (api, pages), and views
 *   import no data modules and no routes (an app's own tests may import any of its modules).
 */
export function boundaryViolations(root: string): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(root)) {
    for (const spec of importsOf(readFileSync(file, "utf8"))) {
      const problem = judge(root, file, spec);
      if (problem) out.push(`${relative(root, file)}: imports "${spec}" — ${problem}`);
    }
  }
  return out;
}

const SOURCE = /\.(ts|tsx)$/;
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** Every module specifier a file imports or re-exports, type-only imports included. */
export function importsOf(source: string): string[] {
  const specs: string[] = [];
  for (const m of source.matchAll(IMPORT)) specs.push((m[1] ?? m[2])!);
  return specs;
}

function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === "node_modules" || name.startsWith(".")) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (SOURCE.test(name)) files.push(path);
    }
  };
  for (const top of ["apps", "lib", "scripts"]) if (existsSync(join(root, top))) walk(join(root, top));
  return files;
}

interface Place {
  area: "app" | "lib" | "scripts" | "other";
  app?: string;
  /** The feature folder under apps/<app>/src/, when there is one. */
  feature?: string;
  /** In the app's test/ folder: tests may reach any module of their own app. */
  test?: boolean;
  kind: "routes" | "data" | "views" | "other";
}

function placeOf(root: string, path: string): Place {
  const parts = relative(root, path).split(sep);
  const kind = kindOf(basename(path));
  if (parts[0] === "lib") return { area: "lib", kind };
  if (parts[0] === "scripts") return { area: "scripts", kind };
  if (parts[0] !== "apps" || !parts[1]) return { area: "other", kind };
  const feature = parts[2] === "src" && parts.length > 4 ? parts[3] : undefined;
  return { area: "app", app: parts[1], feature, kind, test: parts[2] === "test" };
}

function kindOf(name: string): Place["kind"] {
  const stem = name.replace(SOURCE, "");
  if (/^(api|pages)(-[\w-]+)?$/.test(stem)) return "routes";
  if (/^data(-[\w-]+)?$/.test(stem)) return "data";
  if (/^views(-[\w-]+)?$/.test(stem)) return "views";
  return "other";
}

function judge(root: string, file: string, spec: string): string | null {
  const from = placeOf(root, file);
  const pkg = /^@hivematrix\/([\w-]+)(\/.*)?$/.exec(spec);
  if (pkg) {
    const [, name, sub] = pkg;
    if (name === "lib") return null;
    if (from.area === "lib") return "lib never imports an app";
    if (from.area === "app" && name !== from.app) return "apps talk to each other over HTTP only";
    if (from.area === "scripts" && !exported(root, name!, `.${sub ?? ""}`))
      return `scripts use only what apps/${name}/package.json exports`;
    return null;
  }
  if (!spec.startsWith(".")) return null;
  const target = resolve(dirname(file), spec);
  const to = placeOf(root, target);
  if (to.area === "app" && from.area === "lib") return "lib never imports an app";
  if (to.area === "app" && from.area === "app" && to.app !== from.app) return "apps talk to each other over HTTP only";
  if (to.area === "app" && from.area === "scripts") return "scripts import an app through its package exports";
  if (from.area === "app" && to.app === from.app && !from.test) {
    if (from.kind === "views" && (to.kind === "data" || to.kind === "routes"))
      return "views import no data modules or routes";
    if (to.kind === "routes" && to.feature !== from.feature && !isAppEntry(file))
      return "a feature never imports another feature's routes";
  }
  return null;
}

/** app.ts mounts every feature's routes: it is the one place allowed to import them all. */
function isAppEntry(file: string): boolean {
  return basename(file) === "app.ts" && basename(dirname(file)) === "src";
}

function exported(root: string, app: string, subpath: string): boolean {
  const file = join(root, "apps", app, "package.json");
  if (!existsSync(file)) return false;
  const exports = (JSON.parse(readFileSync(file, "utf8")) as { exports?: Record<string, string> }).exports ?? {};
  return subpath in exports;
}
