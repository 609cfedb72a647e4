/**
 * wrk for the benchmarks: runs it, reads its figures, and how much CPU the processes under test
 * spent meanwhile (from /proc), so a result can be given per request as well as per second.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  /** CPU time the measured processes used per request, in microseconds (NaN when none were given). */
  cpuUs: number;
}

function ms(value: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000;
}

const TICKS_PER_SECOND = 100;

/** User and system CPU time of a process and all its threads, in microseconds; 0 once it is gone. */
export function cpuMicros(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** A process and its children (nginx's workers), by pid. */
export function withChildren(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // It ended while we looked.
    }
  }
  return [pid, ...children];
}

export function loadAverage(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
}

/** `wrk -t2` against `url` for `seconds`; `pids` are the processes whose CPU time is counted. */
export async function wrk(
  url: string,
  connections: number,
  seconds: number,
  headers: Record<string, string>,
  pids: number[] = [],
): Promise<WrkResult> {
  const args = ["wrk", "-t2", `-c${connections}`, `-d${seconds}s`, "--latency", "--timeout", "10s"];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  const cpuBefore = pids.reduce((sum, pid) => sum + cpuMicros(pid), 0);
  const proc = Bun.spawn([...args, url], { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(proc.stdout).text();
  if ((await proc.exited) !== 0) throw new Error(`wrk failed: ${await new Response(proc.stderr).text()}`);
  const cpu = pids.reduce((sum, pid) => sum + cpuMicros(pid), 0) - cpuBefore;
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN),
    p50: ms(/\s50%\s+(\S+)/.exec(out)?.[1] ?? ""),
    p99: ms(/\s99%\s+(\S+)/.exec(out)?.[1] ?? ""),
    errors: non2xx + (socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
    requests,
    cpuUs: pids.length && requests ? cpu / requests : Number.NaN,
  };
}

export const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
