import { join } from "node:path";
import type { Subprocess } from "bun";
import { colorFor, formatLine } from "./log-format.ts";
import { rotatingLogFile } from "./log-file.ts";
import { portIsFree } from "./ports.ts";
import type { Unit } from "./units.ts";
import { watched } from "./watchdog.ts";

/** `restarting`: it crashed or was not healthy in time, and is tried again after a backoff. */
export type UnitStatus = "stopped" | "starting" | "running" | "restarting";

export interface UnitState {
  name: string;
  title: string;
  status: UnitStatus;
  pid: number | null;
  host: string;
  port: number;
  url: string;
  /** What the supervisor polls to call the unit healthy (Helm probes the same URL). */
  healthUrl: string;
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

/** Signals a unit's whole process group (it runs in its own session), so helpers it started go too. */
function signalGroup(proc: Subprocess, signal: NodeJS.Signals): void {
  try {
    process.kill(-proc.pid, signal);
  } catch {
    // The group is already gone.
  }
}

interface Running {
  unit: Unit;
  state: UnitState;
  proc: Subprocess | null;
  /** Asked to run (by start or restart) and not stopped since: failures are retried. */
  wanted: boolean;
  /** A start in progress, which a second start waits for. */
  launching: Promise<void> | null;
  backoffMs: number;
  retry: ReturnType<typeof setTimeout> | null;
  healthySince: number | null;
  /** The unit's last line that reads like an error, quoted when it exits. */
  lastErrorLine: string | null;
  /** Settles when the unit's stdout and stderr have ended. */
  output: Promise<void>;
  logFile: ReturnType<typeof rotatingLogFile>;
}

export interface SupervisorOptions {
  logsDir: string;
  /** Each unit's `<name>.log` rotates by size (HIVEMATRIX_LOG_FILE_MAX_MB, HIVEMATRIX_LOG_FILE_KEEP). */
  logFileMaxBytes: number;
  logFileKeep: number;
  useColor: boolean;
  baseEnv: Record<string, string | undefined>;
  print?: (line: string) => void;
  /** Backoff between attempts doubles from min to max (1 s to 30 s; tests go faster). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * A JSON record at ERROR or worse, or a plain line that names an error ("error: …" from Bun for an
 * uncaught one, "configuration error: …", "TypeError: …", "cannot start: …"), not a stack frame or source line.
 */
function errorText(line: string): string | null {
  if (line.startsWith("{")) {
    try {
      const { level, message, error } = JSON.parse(line) as { level?: string; message?: string; error?: unknown };
      if (level !== "ERROR" && level !== "CRITICAL") return null;
      const cause = error && typeof error === "object" && "message" in error ? String(error.message) : null;
      return cause && cause !== message ? `${message}: ${cause}` : String(message);
    } catch {
      return null;
    }
  }
  return /^(([A-Za-z][\w ]*)?error( \[\w+\])?|cannot start[\w ]*): /i.test(line) ? line.slice(0, 500) : null;
}

/**
 * Runs the platform's processes: starts them in order and waits for each /health, prefixes
 * and colours their output (and appends it to HIVEMATRIX_HOME/logs/<name>.log, rotated by
 * size), and keeps every unit it was asked to run running: a crash, or a start that is not
 * healthy in time, is retried for ever with exponential backoff. Only stop (or shutdown) ends
 * a unit for good. Each unit ends by itself when the supervisor dies (see watchdog.ts).
 */
export class Supervisor {
  private readonly units = new Map<string, Running>();
  private readonly width: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private shuttingDown = false;

  constructor(
    units: Unit[],
    private readonly options: SupervisorOptions,
  ) {
    this.minBackoffMs = options.minBackoffMs ?? 1_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    for (const unit of units) {
      this.units.set(unit.name, {
        unit,
        proc: null,
        wanted: false,
        launching: null,
        backoffMs: this.minBackoffMs,
        retry: null,
        healthySince: null,
        lastErrorLine: null,
        output: Promise.resolve(),
        logFile: rotatingLogFile(join(options.logsDir, `${unit.name}.log`), {
          maxBytes: options.logFileMaxBytes,
          keep: options.logFileKeep,
        }),
        state: {
          name: unit.name,
          title: unit.title,
          status: "stopped",
          pid: null,
          host: unit.host,
          port: unit.port,
          url: unit.url,
          healthUrl: unit.healthUrl,
          startedAt: null,
          restarts: 0,
          lastExit: null,
          lastError: null,
          message: null,
        },
      });
    }
    this.width = Math.max(...units.map((u) => u.name.length), 10);
  }

  private print(line: string) {
    (this.options.print ?? ((l: string) => process.stdout.write(`${l}\n`)))(line);
  }

  note(message: string) {
    this.print(formatLine("start", "\x1b[1m", this.width, message, this.options.useColor));
  }

  names(): string[] {
    return [...this.units.keys()];
  }

  status(): UnitState[] {
    return [...this.units.values()].map((r) => ({ ...r.state }));
  }

  has(name: string): boolean {
    return this.units.has(name);
  }

  private get(name: string): Running {
    const r = this.units.get(name);
    if (!r) throw new Error(`unknown service "${name}"`);
    return r;
  }

  private pipe(r: Running, stream: ReadableStream<Uint8Array>): Promise<void> {
    const color = colorFor([...this.units.keys()].indexOf(r.unit.name));
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
          this.print(formatLine(r.unit.name, color, this.width, line, this.options.useColor));
          r.logFile.write(line);
          r.lastErrorLine = errorText(line) ?? r.lastErrorLine;
        }
      }
    })();
  }

  private spawn(r: Running) {
    const proc = Bun.spawn(watched(r.unit.command), {
      env: { ...this.options.baseEnv, ...r.unit.env, FORCE_COLOR: "0" },
      stdout: "pipe",
      stderr: "pipe",
      // Held open and never written: its end is how the unit learns that the supervisor is gone.
      stdin: "pipe",
      // Its own process group: Ctrl-C reaches only the supervisor, which stops units in order.
      detached: true,
    });
    r.proc = proc;
    r.lastErrorLine = null;
    r.state.pid = proc.pid;
    r.state.startedAt = new Date().toISOString();
    r.output = Promise.all([this.pipe(r, proc.stdout), this.pipe(r, proc.stderr)]).then(() => {});
    void proc.exited.then((code) => this.onExit(r, proc, code));
  }

  /** The unit's last error line, once what it printed before exiting has been read (its group is killed by then). */
  private async lastWords(r: Running): Promise<string | null> {
    await Promise.race([r.output, Bun.sleep(1_000)]);
    return r.lastErrorLine;
  }

  private exitText(proc: Subprocess, code: number | null): string {
    return proc.signalCode ? String(proc.signalCode) : `code ${code}`;
  }

  private async onExit(r: Running, proc: Subprocess, code: number) {
    // Whatever the unit left running in its group goes with it: no orphans.
    signalGroup(proc, "SIGKILL");
    if (r.proc !== proc) return;
    r.proc = null;
    r.state.pid = null;
    r.state.lastExit = { code, signal: proc.signalCode ? String(proc.signalCode) : null, at: new Date().toISOString() };
    // A unit that was starting is handled by its launch; one stopped on purpose stays stopped.
    if (r.state.status !== "running") return;
    const words = await this.lastWords(r);
    // Started again (by a start or restart) while its last words were read: nothing to retry.
    if (r.proc || r.launching) return;
    const said = words ? `: ${words}` : "";
    this.failed(r, `${r.unit.name} exited with ${this.exitText(proc, code)}${said}`);
  }

  /** Records why the unit is down and tries it again after the current backoff, which then doubles. */
  private failed(r: Running, error: string) {
    if (!r.wanted || this.shuttingDown) return;
    // A process that stayed healthy for a minute starts its backoff afresh.
    if (r.healthySince && Date.now() - r.healthySince > 60_000) r.backoffMs = this.minBackoffMs;
    r.healthySince = null;
    r.state.status = "restarting";
    r.state.lastError = error;
    r.state.message = `${error}; restarting in ${r.backoffMs / 1000} s`;
    this.note(r.state.message);
    r.retry = setTimeout(() => {
      r.retry = null;
      r.state.restarts++;
      // A failed attempt has already scheduled the next one.
      this.launch(r).catch(() => {});
    }, r.backoffMs);
    r.backoffMs = Math.min(r.backoffMs * 2, this.maxBackoffMs);
  }

  private async waitHealthy(r: Running, proc: Subprocess): Promise<void> {
    const deadline = Date.now() + r.unit.startTimeoutMs;
    while (Date.now() < deadline) {
      if (r.proc !== proc) {
        const words = await this.lastWords(r);
        const said = words ? `: ${words}` : " (see its output above)";
        throw new UnitExitedError(
          `${r.unit.name} exited with ${this.exitText(proc, proc.exitCode)} while starting${said}`,
        );
      }
      const health = await probe(r.unit.healthUrl);
      if (health === "ok") return;
      if (health === "waiting for its database") {
        // It serves (503 with Retry-After) and connects by itself when the database answers:
        // killing it would only start the same wait again.
        r.state.message = `${r.unit.name} is waiting for its database`;
        void this.clearWhenReady(r, proc);
        return;
      }
      await Bun.sleep(100);
    }
    throw new Error(`${r.unit.name} did not answer ${r.unit.healthUrl} within ${r.unit.startTimeoutMs / 1000} s`);
  }

  /** Clears the "waiting for its database" note once the unit's /health says it is ready. */
  private async clearWhenReady(r: Running, proc: Subprocess): Promise<void> {
    while (r.proc === proc && !this.shuttingDown) {
      await Bun.sleep(1_000);
      if ((await probe(r.unit.healthUrl)) === "ok") {
        if (r.proc === proc) r.state.message = null;
        return;
      }
    }
  }

  private launch(r: Running): Promise<void> {
    r.launching ??= this.attempt(r).finally(() => {
      r.launching = null;
    });
    return r.launching;
  }

  private async attempt(r: Running): Promise<void> {
    // A retry stays "restarting" (with its last error) until it is healthy.
    if (r.state.status === "restarting") r.state.message = `${r.state.lastError}; trying again now`;
    else {
      r.state.status = "starting";
      r.state.message = null;
    }
    try {
      for (const port of [r.unit.port, ...(r.unit.extraPorts ?? [])])
        if (!portIsFree(r.unit.host, port)) throw new PortTakenError(r.unit, port);
      this.spawn(r);
      await this.waitHealthy(r, r.proc!);
    } catch (e) {
      if (r.proc) signalGroup(r.proc, "SIGKILL");
      if (!r.wanted || this.shuttingDown) r.state.status = "stopped";
      else this.failed(r, (e as Error).message);
      throw e;
    }
    r.state.status = "running";
    if (!r.state.message?.endsWith("waiting for its database")) r.state.message = null;
    r.healthySince = Date.now();
  }

  /** Starts one unit and waits until it is healthy; if it fails, it is retried in the background. */
  async start(name: string): Promise<void> {
    const r = this.get(name);
    r.wanted = true;
    if (r.launching) return r.launching;
    if (r.retry) {
      clearTimeout(r.retry);
      r.retry = null;
    }
    if (r.proc) return;
    r.backoffMs = this.minBackoffMs;
    await this.launch(r);
  }

  /** Stops one unit and its process group for good: SIGTERM, then SIGKILL after 10 s. */
  async stop(name: string): Promise<void> {
    const r = this.get(name);
    r.wanted = false;
    if (r.retry) {
      clearTimeout(r.retry);
      r.retry = null;
    }
    const proc = r.proc;
    r.state.status = "stopped";
    r.state.message = null;
    if (!proc) return;
    signalGroup(proc, "SIGTERM");
    const killer = setTimeout(() => signalGroup(proc, "SIGKILL"), 10_000);
    await proc.exited;
    clearTimeout(killer);
    await r.launching?.catch(() => {});
  }

  async restart(name: string): Promise<void> {
    await this.stop(name);
    await this.start(name);
  }

  /** Stops everything, last started first. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const name of [...this.units.keys()].reverse()) await this.stop(name);
  }
}

/**
 * What a unit's /health says: ready; up but waiting for its database (lib/db-health's 503 with
 * `database.status` starting or unavailable); or not ready (no answer, or any other answer).
 */
async function probe(url: string): Promise<"ok" | "waiting for its database" | "not ready"> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    if (res.ok) {
      await res.body?.cancel();
      return "ok";
    }
    if (res.status !== 503) {
      await res.body?.cancel();
      return "not ready";
    }
    const body = (await res.json().catch(() => null)) as { database?: { status?: string } } | null;
    const db = body?.database?.status;
    return db === "starting" || db === "unavailable" ? "waiting for its database" : "not ready";
  } catch {
    return "not ready";
  }
}
