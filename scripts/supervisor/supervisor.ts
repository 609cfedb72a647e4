import { colorFor, formatLine } from "./log-format.ts";
import { type ProcessState, UnitProcess } from "./unit-process.ts";
import type { Unit } from "./units.ts";

export { PortTakenError, UnitExitedError, type UnitStatus } from "./unit-process.ts";

/** One of the processes of a unit that runs several (NEXUS_WORKERS), numbered from 1. */
export interface WorkerState extends ProcessState {
  worker: number;
}

export interface UnitState extends ProcessState {
  name: string;
  title: string;
  host: string;
  port: number;
  url: string;
  /** What the supervisor polls to call the unit healthy (Helm probes the same URL). */
  healthUrl: string;
  /** Every process of a unit that runs several on its one port; the unit's own fields are the first one's. */
  workers?: WorkerState[];
  /** Every instance of a unit that runs several on consecutive ports (services.json's `instances`). */
  instances?: InstanceState[];
}

/** One instance of a unit that runs several, numbered from 1, on its own port. */
export interface InstanceState extends ProcessState {
  instance: number;
  port: number;
  url: string;
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
 * The processes of a unit: one, or `unit.workers` sharing its port (SO_REUSEPORT), each told
 * which it is (HIVEMATRIX_WORKER), named `<unit>.<n>` from the second on in output and log
 * files, and kept running on its own: one that dies is restarted while the others serve.
 */
function processesOf(unit: Unit): Unit[] {
  if (unit.instances) return instancesOf(unit, unit.instances);
  const count = unit.workers ?? 1;
  if (count === 1) return [unit];
  return Array.from({ length: count }, (_, i) => ({
    ...unit,
    name: i === 0 ? unit.name : `${unit.name}.${i + 1}`,
    env: { ...unit.env, HIVEMATRIX_WORKER: String(i + 1) },
    worker: i + 1,
  }));
}

/**
 * The instances of a unit (services.json's `instances`): each its own process on its own port
 * (the unit's port and those after it), told which it is (HIVEMATRIX_INSTANCE), named
 * `<unit>.<n>` from the second on, and kept running on its own like any unit.
 */
function instancesOf(unit: Unit, count: number): Unit[] {
  return Array.from({ length: count }, (_, i) => {
    const port = unit.port + i;
    const at = (url: string) => {
      const moved = new URL(url);
      moved.port = String(port);
      return moved.toString().replace(/\/+$/, "");
    };
    return {
      ...unit,
      name: i === 0 ? unit.name : `${unit.name}.${i + 1}`,
      env: { ...unit.env, HIVEMATRIX_INSTANCE: String(i + 1) },
      port,
      url: at(unit.url),
      healthUrl: `${at(unit.healthUrl.replace(/\/health$/, ""))}/health`,
    };
  });
}

/**
 * A unit of several processes shows one that serves, if any does; a worker (or instance) that does
 * not is still said, with its error, so one failing process behind a healthy one is not hidden.
 */
function unitState(states: ProcessState[], kind: "worker" | "instance"): ProcessState {
  const shown = states.find((s) => s.status === "running") ?? states[0]!;
  const failing = states.findIndex((s) => s.status !== "running");
  if (shown.status !== "running" || failing < 0) return shown;
  const other = states[failing]!;
  return {
    ...shown,
    restarts: states.reduce((sum, s) => sum + s.restarts, 0),
    lastError: other.lastError ?? shown.lastError,
    message: `${kind} ${failing + 1} of ${states.length} is ${other.status}${other.message ? `: ${other.message}` : ""}`,
  };
}

/**
 * Runs the platform's processes: starts them in order and waits for each /health, prefixes
 * and colours their output (and appends it to HIVEMATRIX_HOME/logs/<name>.log, rotated by
 * size), and keeps every unit it was asked to run running: a crash, or a start that is not
 * healthy in time, is retried for ever with exponential backoff. Only stop (or shutdown) ends
 * a unit for good. Each unit ends by itself when the supervisor dies (see watchdog.ts).
 */
export class Supervisor {
  private readonly units = new Map<string, { unit: Unit; processes: UnitProcess[] }>();
  private shuttingDown = false;
  private readonly width: number;

  constructor(
    units: Unit[],
    private readonly options: SupervisorOptions,
  ) {
    const width = Math.max(...units.flatMap(processesOf).map((u) => u.name.length), 10);
    this.width = width;
    units.forEach((unit, index) => {
      const processes: UnitProcess[] = [];
      for (const one of processesOf(unit)) {
        processes.push(
          new UnitProcess(one, {
            ...options,
            minBackoffMs: options.minBackoffMs ?? 1_000,
            maxBackoffMs: options.maxBackoffMs ?? 30_000,
            color: colorFor(index),
            width,
            print: (line) => this.print(line),
            note: (message) => this.note(message),
            shuttingDown: () => this.shuttingDown,
            // The first worker to start finds the port free; the rest share it with whichever runs.
            // Instances each have a port of their own.
            checkPorts: () => Boolean(unit.instances) || !processes.some((p) => p.running),
          }),
        );
      }
      this.units.set(unit.name, { unit, processes });
    });
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
    return [...this.units.values()].map(({ unit, processes }) => ({
      name: unit.name,
      title: unit.title,
      host: unit.host,
      port: unit.port,
      url: unit.url,
      healthUrl: unit.healthUrl,
      ...unitState(
        processes.map((p) => p.state),
        unit.instances ? "instance" : "worker",
      ),
      ...(processes.length > 1 && !unit.instances
        ? { workers: processes.map((p, i) => ({ worker: i + 1, ...p.state })) }
        : {}),
      ...(unit.instances
        ? {
            instances: processes.map((p, i) => ({ instance: i + 1, port: p.unit.port, url: p.unit.url, ...p.state })),
          }
        : {}),
    }));
  }

  has(name: string): boolean {
    return this.units.has(name);
  }

  private get(name: string) {
    const entry = this.units.get(name);
    if (!entry) throw new Error(`unknown service "${name}"`);
    return entry;
  }

  /**
   * Starts a unit (all of its processes at once) and waits until healthy; failures are retried in
   * the background. The first process spawns before the next checks the port, so only it checks.
   */
  async start(name: string): Promise<void> {
    const results = await Promise.allSettled(this.get(name).processes.map((p) => p.start()));
    const failed = results.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  }

  /** Stops a unit and its process groups for good: SIGTERM, then SIGKILL after 10 s. */
  async stop(name: string): Promise<void> {
    await Promise.all(this.get(name).processes.map((p) => p.stop()));
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
