import { appendFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { colorFor, formatLine } from "./log-format.ts";
import { portIsFree } from "./ports.ts";
import type { Unit } from "./units.ts";

export type UnitStatus = "stopped" | "starting" | "running" | "backoff" | "failed";

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
  /** Set when we stop it on purpose, so its exit is not treated as a crash. */
  stopping: boolean;
  backoffMs: number;
  retry: ReturnType<typeof setTimeout> | null;
  healthySince: number | null;
}

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * Runs the platform's processes: starts them in order and waits for each /health, prefixes
 * and colours their output (and appends it to HIVEMATRIX_HOME/logs/<name>.log), restarts a
 * crashed process with exponential backoff, and stops everything on request.
 */
export class Supervisor {
  private readonly units = new Map<string, Running>();
  private readonly width: number;
  private shuttingDown = false;

  constructor(
    units: Unit[],
    private readonly options: {
      logsDir: string;
      useColor: boolean;
      baseEnv: Record<string, string | undefined>;
      print?: (line: string) => void;
    },
  ) {
    for (const unit of units) {
      this.units.set(unit.name, {
        unit,
        proc: null,
        stopping: false,
        backoffMs: MIN_BACKOFF_MS,
        retry: null,
        healthySince: null,
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

  private pipe(r: Running, stream: ReadableStream<Uint8Array>) {
    const color = colorFor([...this.units.keys()].indexOf(r.unit.name));
    const logFile = join(this.options.logsDir, `${r.unit.name}.log`);
    const decoder = new TextDecoder();
    let buffered = "";
    void (async () => {
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
          appendFileSync(logFile, `${line}\n`);
        }
      }
    })();
  }

  private spawn(r: Running) {
    r.stopping = false;
    const proc = Bun.spawn(r.unit.command, {
      env: { ...this.options.baseEnv, ...r.unit.env, FORCE_COLOR: "0" },
      stdout: "pipe",
      stderr: "pipe",
      stdin: "ignore",
      // Its own process group: Ctrl-C reaches only the supervisor, which stops units in order.
      detached: true,
    });
    r.proc = proc;
    r.state.pid = proc.pid;
    r.state.startedAt = new Date().toISOString();
    r.state.message = null;
    this.pipe(r, proc.stdout);
    this.pipe(r, proc.stderr);
    void proc.exited.then((code) => this.onExit(r, proc, code));
  }

  private onExit(r: Running, proc: Subprocess, code: number) {
    // Whatever the unit left running in its group goes with it: no orphans.
    signalGroup(proc, "SIGKILL");
    if (r.proc !== proc) return;
    r.proc = null;
    r.state.pid = null;
    r.state.lastExit = { code, signal: proc.signalCode ? String(proc.signalCode) : null, at: new Date().toISOString() };
    if (r.stopping || this.shuttingDown) {
      r.state.status = "stopped";
      return;
    }
    // A process that stayed healthy for a minute starts its backoff afresh.
    if (r.healthySince && Date.now() - r.healthySince > 60_000) r.backoffMs = MIN_BACKOFF_MS;
    r.healthySince = null;
    r.state.status = "backoff";
    r.state.message = `exited with ${proc.signalCode ?? `code ${code}`}; restarting in ${r.backoffMs / 1000} s`;
    this.note(`${r.unit.name} ${r.state.message}`);
    r.retry = setTimeout(() => {
      r.retry = null;
      r.state.restarts++;
      this.launch(r).catch((e) => this.note(`${r.unit.name} restart failed: ${(e as Error).message}`));
    }, r.backoffMs);
    r.backoffMs = Math.min(r.backoffMs * 2, MAX_BACKOFF_MS);
  }

  private async waitHealthy(r: Running): Promise<void> {
    const deadline = Date.now() + r.unit.startTimeoutMs;
    while (Date.now() < deadline) {
      if (!r.proc) throw new Error(`${r.unit.name} exited while starting (see its output above)`);
      try {
        const res = await fetch(r.unit.healthUrl, { signal: AbortSignal.timeout(1_000) });
        if (res.ok) return;
      } catch {
        // not answering yet
      }
      await Bun.sleep(100);
    }
    throw new Error(`${r.unit.name} did not answer ${r.unit.healthUrl} within ${r.unit.startTimeoutMs / 1000} s`);
  }

  private async launch(r: Running): Promise<void> {
    for (const port of [r.unit.port, ...(r.unit.extraPorts ?? [])]) {
      if (!portIsFree(r.unit.host, port)) {
        r.state.status = "failed";
        r.state.message = `port ${port} on ${r.unit.host} is taken`;
        throw new PortTakenError(r.unit, port);
      }
    }
    r.state.status = "starting";
    this.spawn(r);
    try {
      await this.waitHealthy(r);
    } catch (e) {
      if (r.proc) {
        r.stopping = true;
        signalGroup(r.proc, "SIGKILL");
      }
      r.state.status = "failed";
      r.state.message = (e as Error).message;
      throw e;
    }
    r.state.status = "running";
    r.healthySince = Date.now();
  }

  /** Starts one unit and waits until it is healthy. */
  async start(name: string): Promise<void> {
    const r = this.get(name);
    if (r.retry) {
      clearTimeout(r.retry);
      r.retry = null;
    }
    if (r.proc) return;
    r.backoffMs = MIN_BACKOFF_MS;
    await this.launch(r);
  }

  /** Stops one unit and its process group: SIGTERM, then SIGKILL after 10 s. */
  async stop(name: string): Promise<void> {
    const r = this.get(name);
    if (r.retry) {
      clearTimeout(r.retry);
      r.retry = null;
    }
    const proc = r.proc;
    r.state.status = "stopped";
    r.state.message = null;
    if (!proc) return;
    r.stopping = true;
    signalGroup(proc, "SIGTERM");
    const killer = setTimeout(() => signalGroup(proc, "SIGKILL"), 10_000);
    await proc.exited;
    clearTimeout(killer);
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
