import { existsSync } from "node:fs";
import { OperationRefused } from "@hivematrix/lib/backup";

/** Whether this machine runs systemd (the check sd_booted() makes). */
export function systemdRuns(): boolean {
  return existsSync("/run/systemd/system");
}

/** Runs `systemctl …args`; a failure is one line with systemctl's own last words. */
export function systemctl(args: string[], { check = true } = {}): { ok: boolean; out: string } {
  const run = Bun.spawnSync(["systemctl", ...args], { stdout: "pipe", stderr: "pipe" });
  const out = `${run.stdout.toString()}${run.stderr.toString()}`.trim();
  if (check && run.exitCode !== 0)
    throw new OperationRefused(
      `systemctl ${args.join(" ")} failed: ${out.split("\n").at(-1) ?? `exit ${run.exitCode}`}`,
    );
  return { ok: run.exitCode === 0, out };
}

/** An account's primary group name, or null when there is no such account. */
export function primaryGroup(user: string): string | null {
  const run = Bun.spawnSync(["id", "-gn", user], { stdout: "pipe", stderr: "pipe" });
  return run.exitCode === 0 ? run.stdout.toString().trim() : null;
}

export function currentUser(): string {
  return Bun.spawnSync(["id", "-un"], { stdout: "pipe" }).stdout.toString().trim();
}
