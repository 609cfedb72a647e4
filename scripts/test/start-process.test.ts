import { afterEach, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { freePort, tempHome, writeServicesFile } from "@hivematrix/lib/testing";
import { startStages, type Unit } from "../supervisor/units.ts";

const unit = (name: string): Unit => ({
  name,
  title: name,
  command: [],
  env: {},
  host: "127.0.0.1",
  port: 1,
  url: "",
  healthUrl: "",
  startTimeoutMs: 1,
});

/** The processes whose parent is `pid`, with their command lines. */
function children(pid: number): string[] {
  const found: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid)
        found.push(readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " "));
    } catch {
      // It ended while we looked.
    }
  }
  return found;
}

let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stop?.();
  stop = null;
});

describe("bun run start", () => {
  test("starts the identity provider, then Core, then every other app at once, then Nexus", () => {
    const units = ["idp", "core", "helm", "codex", "brainhair", "nexus"].map(unit);
    expect(startStages(units).map((stage) => stage.map((u) => u.name))).toEqual([
      ["idp"],
      ["core"],
      ["helm", "codex", "brainhair"],
      ["nexus"],
    ]);
    expect(startStages(["core", "nexus"].map(unit)).map((stage) => stage.map((u) => u.name))).toEqual([
      ["core"],
      ["nexus"],
    ]);
  });

  test("runs the supervisor in the process `bun run start` is, with no `bun run` process waiting beside it", async () => {
    const home = tempHome();
    const services = writeServicesFile(home, { core: { port: await freePort(), visible: false } });
    const proc = Bun.spawn(["bun", "run", "start", "--only", "core"], {
      cwd: REPO_ROOT,
      env: { ...process.env, HIVEMATRIX_HOME: home, HIVEMATRIX_SERVICES: services, NO_COLOR: "1", LOG_LEVEL: "warn" },
      stdout: "pipe",
      stderr: "pipe",
    });
    stop = async () => {
      proc.kill("SIGTERM");
      await proc.exited;
    };
    const deadline = Date.now() + 60_000;
    while (!children(proc.pid).some((line) => line.includes(join("apps", "core", "src", "main.ts")))) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error("Core never ran under bun run start");
      await Bun.sleep(100);
    }
  });
});
