import { describe, expect, test } from "bun:test";
import { join } from "node:path";

async function run(kind: string) {
  const proc = Bun.spawn(["bun", join(import.meta.dir, "fixture/guarded-process.ts"), kind], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const out = await new Response(proc.stdout).text();
  return {
    code: await proc.exited,
    out,
    lines: out
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l)),
  };
}

describe("a server process meeting an error nothing caught", () => {
  test("a dropped connection's error is logged and the process keeps serving", async () => {
    const { code, out, lines } = await run("socket-reset");
    expect([code, out.includes("still serving")]).toEqual([0, true]);
    expect(lines[0]).toMatchObject({ level: "ERROR", error: { code: "ECONNRESET" } });
  });

  test("the database driver writing to a socket it dropped is survived too", async () => {
    const { code, out } = await run("driver-bug");
    expect([code, out.includes("still serving")]).toEqual([0, true]);
  });

  test("a rejected promise nobody awaited is logged and the process keeps serving", async () => {
    const { code, out, lines } = await run("rejection");
    expect([code, out.includes("still serving")]).toEqual([0, true]);
    expect(lines[0]).toMatchObject({ level: "ERROR", error: { message: "a background task failed" } });
  });

  test("any other uncaught error is logged and the process exits 1 for its supervisor to restart", async () => {
    const { code, out, lines } = await run("program-bug");
    expect([code, out.includes("still serving")]).toEqual([1, false]);
    expect(lines[0]).toMatchObject({ level: "ERROR", message: expect.stringContaining("exiting") });
  });
});
