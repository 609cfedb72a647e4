/**
 * The processes of a running platform, their memory and CPU time, from /proc: each one named by
 * what it runs (an app, a Nexus worker, the supervisor, the `bun run` wrapper, the watchdog shells).
 */
import { readdirSync, readFileSync } from "node:fs";
import { cpuMicros } from "./_wrk.ts";

export interface ProcessUsage {
  pid: number;
  name: string;
  /** Resident set size in bytes: what `ps` and the figures show (shared pages counted in every process). */
  rss: number;
  /** Proportional set size: shared pages divided among the processes sharing them. */
  pss: number;
  /** Pages only this process holds: what stopping it would give back. */
  private: number;
  /** User and system CPU time since it started, in milliseconds. */
  cpuMs: number;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    // The process ended while we looked.
    return null;
  }
}

function parentOf(pid: string): number | null {
  const stat = read(`/proc/${pid}/stat`);
  return stat ? Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) : null;
}

/** `root` and every process below it, each with its parent. */
export function processTree(root: number): { pid: number; parent: number }[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentOf(entry);
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree: { pid: number; parent: number }[] = [];
  const visit = (pid: number, parent: number) => {
    tree.push({ pid, parent });
    for (const child of children.get(pid) ?? []) visit(child, pid);
  };
  visit(root, 0);
  return tree;
}

const APP = /apps\/([\w-]+)\/src\/main\.ts/;

/** What a process of the platform is, from its command line (and a Nexus worker's number). */
function nameOf(pid: number, argv: string[], supervisor: number | undefined): string {
  const line = argv.join(" ");
  if (line.includes("hivematrix-watchdog")) return "watchdog shells";
  const app = APP.exec(line)?.[1];
  if (app) {
    const worker = /(?:^|\0)HIVEMATRIX_WORKER=(\d+)/.exec(read(`/proc/${pid}/environ`) ?? "")?.[1];
    const name = app === "dev-idp" ? "idp" : app;
    return worker && worker !== "1" ? `${name}.${worker}` : name;
  }
  // `bun run start` runs the supervisor in its own process; a `bun run` beside it only waits.
  if (pid === supervisor) return "supervisor";
  if (argv[1] === "run") return "bun run wrapper";
  return argv.map((arg) => arg.split("/").at(-1)).join(" ");
}

function kilobytes(rollup: string, field: string): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(rollup)?.[1] ?? 0);
}

/** Memory and CPU time of every process under `root`, those of the same name (the watchdog shells) summed. */
export function platformUsage(root: number): ProcessUsage[] {
  const byName = new Map<string, ProcessUsage>();
  const tree = processTree(root).map((entry) => ({ ...entry, cmdline: read(`/proc/${entry.pid}/cmdline`) }));
  // The supervisor is the parent of the apps (each runs in its watchdog's process, which execs it).
  const supervisor = tree.find((entry) => APP.test(entry.cmdline ?? ""))?.parent;
  for (const { pid, cmdline } of tree) {
    const rollup = read(`/proc/${pid}/smaps_rollup`);
    if (!cmdline || !rollup) continue;
    const name = nameOf(pid, cmdline.split("\0").filter(Boolean), supervisor);
    const seen = byName.get(name) ?? { pid, name, rss: 0, pss: 0, private: 0, cpuMs: 0 };
    seen.rss += kilobytes(rollup, "Rss") * 1024;
    seen.pss += kilobytes(rollup, "Pss") * 1024;
    seen.private += (kilobytes(rollup, "Private_Clean") + kilobytes(rollup, "Private_Dirty")) * 1024;
    seen.cpuMs += cpuMicros(pid) / 1000;
    byName.set(name, seen);
  }
  return [...byName.values()];
}

export const megabytes = (bytes: number) => bytes / 1024 / 1024;
