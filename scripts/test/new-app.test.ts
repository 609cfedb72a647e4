import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { freePort, tempHome, writeServicesFile } from "@hivematrix/lib/testing";
import { boundaryViolations } from "../checks/import-boundaries.ts";
import { freeRegistryPort, nameProblem, spellings } from "../new-app/scaffold.ts";

/** A clean copy of the repository (what git tracks, plus this change's new files), as a new clone would be. */
function cloneRepo(): string {
  const copy = tempHome("hm-new-app-");
  const files = Bun.spawnSync(["git", "ls-files", "-co", "--exclude-standard"], { cwd: REPO_ROOT }).stdout.toString();
  const tar = Bun.spawnSync(["sh", "-c", `tar -cf - -T - | tar -xf - -C ${copy}`], {
    cwd: REPO_ROOT,
    stdin: new TextEncoder().encode(files),
  });
  if (tar.exitCode !== 0) throw new Error(tar.stderr.toString());
  return copy;
}

function run(cwd: string, cmd: string[], env: Record<string, string> = {}) {
  const r = Bun.spawnSync(cmd, { cwd, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode, out: r.stdout.toString() + r.stderr.toString() };
}

const EXPECTED_FILES = [
  "package.json",
  "src/access.ts",
  "src/app.ts",
  "src/db/migrations/pg/0000_init.sql",
  "src/db/migrations/sqlite/0000_init.sql",
  "src/db/schema.ts",
  "src/deps.ts",
  "src/layout.tsx",
  "src/main.ts",
  "src/notes/api.ts",
  "src/notes/data.ts",
  "src/notes/json.ts",
  "src/notes/pages.tsx",
  "src/notes/views.tsx",
  "test/notes.test.ts",
];

describe("bun run new-app", () => {
  let repo: string;
  let created: { code: number; out: string };

  beforeAll(() => {
    repo = cloneRepo();
    expect(run(repo, ["bun", "install", "--frozen-lockfile"]).code).toBe(0);
    created = run(repo, ["bun", "run", "new-app", "asset-tracker", "--port", "5190"]);
    // A whole install in a fresh copy: seconds alone, much longer while the rest of the suite runs.
  }, 180_000);
  // Removing a whole copy with its node_modules outlasts the default hook timeout on a loaded machine.
  afterAll(() => run(REPO_ROOT, ["rm", "-rf", repo]), 60_000);

  test("creates the app in the template's shape and registers it", () => {
    expect(created.code).toBe(0);
    const app = join(repo, "apps/asset-tracker");
    const listed = run(app, [
      "find",
      ".",
      "-type",
      "f",
      "-not",
      "-path",
      "*/meta/*",
      "-not",
      "-path",
      "./node_modules/*",
    ]);
    expect(
      listed.out
        .trim()
        .split("\n")
        .map((f) => f.replace(/^\.\//, ""))
        .sort(),
    ).toEqual(EXPECTED_FILES);
    const registry = JSON.parse(readFileSync(join(repo, "services.json"), "utf8"));
    expect(registry["asset-tracker"]).toEqual({
      url: "http://127.0.0.1:5190",
      port: 5190,
      title: "Asset Tracker",
      description: "What Asset Tracker is for",
      visible: true,
      permission: null,
    });
    expect(readFileSync(join(app, "src/app.ts"), "utf8")).toContain(
      "export function createAssetTrackerApp(deps: Deps)",
    );
    expect(readFileSync(join(app, "src/deps.ts"), "utf8")).toContain("ASSET_TRACKER_PAGE_SIZE: envInt(50, 1, 500)");
    expect(boundaryViolations(repo).filter((v) => v.startsWith("apps/asset-tracker"))).toEqual([]);
  }, 120_000);

  test("the new app's own tests, the typecheck and the lint pass", () => {
    const tests = run(repo, ["bun", "test", "apps/asset-tracker"]);
    expect(tests.out).toContain(" 0 fail");
    expect(tests.code).toBe(0);
    // The new app and what it imports (lib), not the whole copied repo: the rest is typechecked by CI already.
    writeFileSync(
      join(repo, "tsconfig.new-app.json"),
      JSON.stringify({ extends: "./tsconfig.json", include: ["apps/asset-tracker/**/*"] }),
    );
    const typecheck = run(repo, ["bun", "x", "tsc", "--noEmit", "-p", "tsconfig.new-app.json"]);
    expect(typecheck.out).not.toContain("error TS");
    expect(typecheck.code).toBe(0);
    expect(run(repo, ["bun", "x", "biome", "check", "apps/asset-tracker", "services.json"]).code).toBe(0);
  }, 300_000);

  test("its main.ts serves /health, and its API asks for a token", async () => {
    const home = tempHome("hm-new-app-home-");
    const port = await freePort();
    const servicesFile = writeServicesFile(home, {
      core: { port: await freePort(), visible: false },
      "asset-tracker": { port },
    });
    const proc = Bun.spawn(["bun", "apps/asset-tracker/src/main.ts"], {
      cwd: repo,
      env: { ...process.env, HIVEMATRIX_HOME: home, HIVEMATRIX_SERVICES: servicesFile },
      stdout: "ignore",
      stderr: "ignore",
    });
    try {
      let health: Response | null = null;
      for (let i = 0; i < 200 && !health?.ok; i++) {
        health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => null);
        if (!health?.ok) await Bun.sleep(50);
      }
      expect(await health!.json()).toMatchObject({
        status: "ok",
        service: "asset-tracker",
        database: { engine: "sqlite", status: "ok" },
      });
      expect((await fetch(`http://127.0.0.1:${port}/api/notes`)).status).toBe(401);
      expect(existsSync(join(home, "data/asset-tracker.db"))).toBe(true);
    } finally {
      proc.kill();
      await proc.exited;
    }
  }, 30_000);

  test("refuses names that cannot be an app, and picks a free port", () => {
    const registry = { core: { port: 5000 }, other: { port: 5100 } };
    expect(nameProblem(REPO_ROOT, "Bad_Name", registry)).toContain("not a plain app name");
    expect(nameProblem(REPO_ROOT, "keycloak", registry)).toContain("keeps for itself");
    expect(nameProblem(REPO_ROOT, "other", registry)).toBe('services.json already has "other"');
    expect(nameProblem(REPO_ROOT, "codex", {})).toBe("apps/codex already exists");
    expect(nameProblem(REPO_ROOT, "asset-tracker", registry)).toBeNull();
    expect(freeRegistryPort(registry)).toBe(5110);
    expect(spellings("asset-tracker")).toEqual({
      __name__: "asset-tracker",
      __Name__: "AssetTracker",
      __camel__: "assetTracker",
      __NAME__: "ASSET_TRACKER",
      __snake__: "asset_tracker",
      __Title__: "Asset Tracker",
    });
  });
});
