import { join } from "node:path";
import type { Subprocess } from "bun";
import { formatLine } from "./log-format.ts";
import { rotatingLogFile } from "./log-file.ts";
import { portIsFree } from "./ports.ts";
import { errorText, probe } from "./probe.ts";
import type { Unit } from "./units.ts";
import { watched } from "./watchdog.ts";

/** `restarting`: it crashed or was not healthy in time, and is tried again after a backoff. */
export type UnitStatus = "stopped" | "starting" | "running" | "restarting";

/** One process's part of a unit's state (a unit runs one, or NEXUS_WORKERS for Nexus). */
export interface ProcessState {
  status: UnitStatus;
  pid: number | null;
  startedAt: string | null;
  restarts: number;
  lastExit: { code: number | null; signal: string | null; at: string } | null;
  /** Why the last start or run failed (an exit, with the unit's last error line, or no health in time). */
  lastError: string | null;
  /** What is happening now, for people: e.g. the last error and when the next attempt is. */
  message: string | null;
}

export class PortTakenError extends Error {
  constructor(
    readonly unit: Unit,
    readonly port: number = unit.port,
  ) {
    super(`${unit.name}: port ${port} on ${unit.host} is already taken by another process`);
  }
}

/** The unit's process ended before it was healthy: something it cannot fix by waiting (it said what, last). */
export class UnitExitedError extends Error {}

/** What a process needs from the supervisor that runs it. */
export interface ProcessContext {
  logsDir: string;
  logFileMaxBytes: number;
  logFileKeep: number;
  useColor: boolean;
  baseEnv: Record<string, string | undefined>;
  minBackoffMs: number;
  maxBackoffMs: number;
  color: string;
  width: number;
  print(line: string): void;
  note(message: string): void;
  shuttingDown(): boolean;
  /** Whether the unit's ports must be free before this process starts (not while another of its workers holds them). */
  checkPorts(): boolean;
}

/** Signals a unit's whole process group (it runs in its own session), so helpers it started go too. */
function signalGroup(proc: Subprocess, signal: NodeJS.Signals): void {
  try {
    process.kill(-proc.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * One process of a unit, kept running: started, waited for on /health, its output prefixed and
 * appended to its log file, and retried for ever with exponential backoff when it crashes or is
 * not healthy in time. Only stop ends it for good.
 */
export class UnitProcess {
  readonly state: ProcessState = {
    status: "stopped",
    pid: null,
    startedAt: null,
    restarts: 0,
    lastExit: null,
    lastError: null,
    message: null,
  };
  private proc: Subprocess | null = null;
  /** Asked to run (by start or restart) and not stopped since: failures are retried. */
  private wanted = false;
  /** A start in progress, which a second start waits for. */
  private launching: Promise<void> | null = null;
  private backoffMs: number;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private healthySince: number | null = null;
  /** The unit's last line that reads like an error, quoted when it exits. */
  private lastErrorLine: string | null = null;
  /** Settles when the unit's stdout and stderr have ended. */
  private output: Promise<void> = Promise.resolve();
  private readonly logFile: ReturnType<typeof rotatingLogFile>;

  constructor(
    readonly unit: Unit,
    private readonly ctx: ProcessContext,
  ) {
    this.backoffMs = ctx.minBackoffMs;
    this.logFile = rotatingLogFile(join(ctx.logsDir, `${unit.name}.log`), {
      maxBytes: ctx.logFileMaxBytes,
      keep: ctx.logFileKeep,
    });
  }

  get running(): boolean {
    return this.proc !== null;
  }

  private pipe(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = "";
    return (async () => {
      const reader = stream.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (!line) continue;
          this.ctx.print(formatLine(this.unit.name, this.ctx.color, this.ctx.width, line, this.ctx.useColor));
          this.logFile.write(line);
          this.lastErrorLine = errorText(line) ?? this.lastErrorLine;
        }
      }
    })();
  }

  private spawn() {
    const proc = Bun.spawn(watched(this.unit.command), {
      env: { ...this.ctx.baseEnv, ...this.unit.env, FORCE_COLOR: "0" },
      stdout: "pipe",
      stderr: "pipe",
      // Held open and never written: its end is how the unit learns that the supervisor is gone.
      stdin: "pipe",
      // Its own process group: Ctrl-C reaches only the supervisor, which stops units in order.
      detached: true,
    });
    this.proc = proc;
    this.lastErrorLine = null;
    this.state.pid = proc.pid;
    this.state.startedAt = new Date().toISOString();
    this.output = Promise.all([this.pipe(proc.stdout), this.pipe(proc.stderr)]).then(() => {});
    void proc.exited.then((code) => this.onExit(proc, code));
  }

  /** The unit's last error line, once what it printed before exiting has been read (its group is killed by then). */
  private async lastWords(): Promise<string | null> {
    await Promise.race([this.output, Bun.sleep(1_000)]);
    return this.lastErrorLine;
  }

  private exitText(proc: Subprocess, code: number | null): string {
    return proc.signalCode ? String(proc.signalCode) : `code ${code}`;
  }

  private async onExit(proc: Subprocess, code: number) {
    // Whatever the unit left running in its group goes with it: no orphans.
    signalGroup(proc, "SIGKILL");
    if (this.proc !== proc) return;
    this.proc = null;
    this.state.pid = null;
    this.state.lastExit = {
      code,
      signal: proc.signalCode ? String(proc.signalCode) : null,
      at: new Date().toISOString(),
    };
    // A unit that was starting is handled by its launch; one stopped on purpose stays stopped.
    if (this.state.status !== "running") return;
    const words = await this.lastWords();
    // Started again (by a start or restart) while its last words were read: nothing to retry.
    if (this.proc || this.launching) return;
    const said = words ? `: ${words}` : "";
    this.failed(`${this.unit.name} exited with ${this.exitText(proc, code)}${said}`);
  }

  /** Records why the unit is down and tries it again after the current backoff, which then doubles. */
  private failed(error: string) {
    if (!this.wanted || this.ctx.shuttingDown()) return;
    // A process that stayed healthy for a minute starts its backoff afresh.
    if (this.healthySince && Date.now() - this.healthySince > 60_000) this.backoffMs = this.ctx.minBackoffMs;
    this.healthySince = null;
    this.state.status = "restarting";
    this.state.lastError = error;
    this.state.message = `${error}; restarting in ${this.backoffMs / 1000} s`;
    this.ctx.note(this.state.message);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.state.restarts++;
      // A failed attempt has already scheduled the next one.
      this.launch().catch(() => {});
    }, this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, this.ctx.maxBackoffMs);
  }

  private async waitHealthy(proc: Subprocess): Promise<void> {
    const deadline = Date.now() + this.unit.startTimeoutMs;
    while (Date.now() < deadline) {
      if (this.proc !== proc) {
        const words = await this.lastWords();
        const said = words ? `: ${words}` : " (see its output above)";
        throw new UnitExitedError(
          `${this.unit.name} exited with ${this.exitText(proc, proc.exitCode)} while starting${said}`,
        );
      }
      const health = await probe(this.unit.healthUrl, this.unit.worker);
      if (health === "ok") return;
      if (health === "waiting for its database") {
        // It serves (503 with Retry-After) and connects by itself when the database answers:
        // killing it would only start the same wait again.
        this.state.message = `${this.unit.name} is waiting for its database`;
        void this.clearWhenReady(proc);
        return;
      }
      // Often: every poll interval a unit is up but not yet seen adds to how long the start takes.
      await Bun.sleep(25);
    }
    throw new Error(
      `${this.unit.name} did not answer ${this.unit.healthUrl} within ${this.unit.startTimeoutMs / 1000} s`,
    );
  }

  /** Clears the "waiting for its database" note once the unit's /health says it is ready. */
  private async clearWhenReady(proc: Subprocess): Promise<void> {
    while (this.proc === proc && !this.ctx.shuttingDown()) {
      await Bun.sleep(1_000);
      if ((await probe(this.unit.healthUrl)) === "ok") {
        if (this.proc === proc) this.state.message = null;
        return;
      }
    }
  }

  private launch(): Promise<void> {
    this.launching ??= this.attempt().finally(() => {
      this.launching = null;
    });
    return this.launching;
  }

  private async attempt(): Promise<void> {
    // A retry stays "restarting" (with its last error) until it is healthy.
    if (this.state.status === "restarting") this.state.message = `${this.state.lastError}; trying again now`;
    else {
      this.state.status = "starting";
      this.state.message = null;
    }
    try {
      if (this.ctx.checkPorts())
        for (const port of [this.unit.port, ...(this.unit.extraPorts ?? [])])
          if (!portIsFree(this.unit.host, port)) throw new PortTakenError(this.unit, port);
      this.spawn();
      await this.waitHealthy(this.proc!);
    } catch (e) {
      if (this.proc) signalGroup(this.proc, "SIGKILL");
      if (!this.wanted || this.ctx.shuttingDown()) this.state.status = "stopped";
      else this.failed((e as Error).message);
      throw e;
    }
    this.state.status = "running";
    if (!this.state.message?.endsWith("waiting for its database")) this.state.message = null;
    this.healthySince = Date.now();
  }

  /** Starts the process and waits until it is healthy; if it fails, it is retried in the background. */
  async start(): Promise<void> {
    this.wanted = true;
    if (this.launching) return this.launching;
    if (this.retry) {
      clearTimeout(this.retry);
      this.retry = null;
    }
    if (this.proc) return;
    this.backoffMs = this.ctx.minBackoffMs;
    await this.launch();
  }

  /** Stops the process and its process group for good: SIGTERM, then SIGKILL after 10 s. */
  async stop(): Promise<void> {
    this.wanted = false;
    if (this.retry) {
      clearTimeout(this.retry);
      this.retry = null;
    }
    const proc = this.proc;
    this.state.status = "stopped";
    this.state.message = null;
    if (!proc) return;
    signalGroup(proc, "SIGTERM");
    const killer = setTimeout(() => signalGroup(proc, "SIGKILL"), 10_000);
    await proc.exited;
    clearTimeout(killer);
    await this.launching?.catch(() => {});
  }
}
