import { describe, expect, test } from "bun:test";
import { restartAllSequence } from "../supervisor/restart-all.ts";
import type { Supervisor, UnitState, UnitStatus } from "../supervisor/supervisor.ts";

/** A supervisor whose restarts take a moment and are logged; `failing` never comes back. */
function fakeSupervisor(units: Record<string, UnitStatus>, failing: string | null = null) {
  const restarted: string[] = [];
  const notes: string[] = [];
  let inFlight = 0;
  let overlapped = false;
  const supervisor = {
    names: () => Object.keys(units),
    status: () => Object.entries(units).map(([name, status]) => ({ name, status }) as UnitState),
    note: (message: string) => void notes.push(message),
    async restart(name: string) {
      inFlight++;
      overlapped ||= inFlight > 1;
      await Bun.sleep(20);
      inFlight--;
      if (name === failing) throw new Error(`${name} did not answer its /health within 30 s`);
      restarted.push(name);
    },
  } as unknown as Supervisor;
  return { supervisor, restarted, notes, overlapped: () => overlapped };
}

const settled = async (sequence: ReturnType<typeof restartAllSequence>) => {
  while (sequence.state()?.status === "running") await Bun.sleep(10);
  return sequence.state()!;
};

describe("restart all", () => {
  test("running apps in start order, one at a time, Nexus last; the IdP and stopped apps stay", async () => {
    const fake = fakeSupervisor({
      idp: "running",
      core: "running",
      codex: "stopped",
      helm: "running",
      nexus: "running",
    });
    const sequence = restartAllSequence(fake.supervisor);
    const started = sequence.start("alice via Helm")!;
    expect(started).toMatchObject({
      status: "running",
      by: "alice via Helm",
      order: ["core", "codex", "helm", "nexus"],
    });
    // One at a time: a second request while it runs is refused.
    expect(sequence.start("bob via Helm")).toBeNull();
    const done = await settled(sequence);
    expect(done).toMatchObject({ status: "done", done: ["core", "helm", "nexus"], skipped: ["codex"], current: null });
    expect(fake.restarted).toEqual(["core", "helm", "nexus"]);
    expect(fake.overlapped()).toBe(false);
    expect(fake.notes.at(-1)).toBe("restart all: core, helm, nexus restarted (codex stopped, left so)");
    // Finished, it may run again.
    expect(sequence.start(null)).not.toBeNull();
    await settled(sequence);
  });

  test("stops at the first app that does not come back, saying which and why", async () => {
    const fake = fakeSupervisor({ idp: "running", core: "running", codex: "running", nexus: "running" }, "codex");
    const sequence = restartAllSequence(fake.supervisor);
    sequence.start(null);
    const failed = await settled(sequence);
    expect(failed).toMatchObject({ status: "failed", done: ["core"], current: null });
    expect(failed.error).toBe("codex did not come back: codex did not answer its /health within 30 s");
    expect(fake.restarted).toEqual(["core"]);
    expect(fake.notes.at(-1)).toContain("restart all stopped: codex did not come back");
  });
});
