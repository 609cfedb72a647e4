/**
 * `bun run new-app NAME [--port N]`: a new app in the platform's one shape (DESIGN.md "Inside an
 * app"): health, a page, an API route with its schemas, a table with migrations for both
 * engines, and a test; registered in services.json so `bun run start` runs it behind Nexus.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { scaffold } from "./new-app/scaffold.ts";

const { values, positionals } = parseArgs({
  args: Bun.argv.slice(2),
  options: { port: { type: "string" } },
  allowPositionals: true,
  strict: true,
});
const name = positionals[0];
if (!name || positionals.length > 1) {
  console.error("usage: bun run new-app NAME [--port N]");
  process.exit(2);
}

function run(what: string, cmd: string[], cwd = REPO_ROOT) {
  const r = Bun.spawnSync(cmd, { cwd, stdout: "inherit", stderr: "inherit" });
  if (r.exitCode !== 0) {
    console.error(`new-app: ${what} failed (${cmd.join(" ")})`);
    process.exit(1);
  }
}

let app: ReturnType<typeof scaffold>;
try {
  app = scaffold(REPO_ROOT, name, values.port === undefined ? undefined : Number(values.port));
} catch (e) {
  console.error(`new-app: ${(e as Error).message}`);
  process.exit(1);
}
// Bun links workspaces per app: the new one needs an install before anything can import lib.
run("bun install", ["bun", "install"]);
run("generating its migrations", ["bun", "run", "db:generate", "init"], join(REPO_ROOT, "apps", app.name));
run("formatting", ["bun", "x", "biome", "format", "--write", "services.json", `apps/${app.name}`]);
console.log(`
Created apps/${app.name} (port ${app.port}, in services.json):
${app.files.map((f) => `  ${f}`).join("\n")}

Next: bun test apps/${app.name}, then bun run start and open http://localhost:8000/${app.name}/
`);
