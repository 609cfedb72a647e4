/**
 * What Linux's /proc says about processes and listening sockets: the address a service really
 * listens on, its memory and its start time. Only the HiveMatrix user's own processes can be
 * inspected in full, which is all Helm needs. On systems without /proc everything is empty.
 */
import { endianness } from "node:os";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface Listener {
  address: string;
  port: number;
  inode: number;
}

const LITTLE_ENDIAN = endianness() === "LE";
/** USER_HZ: the unit of /proc/<pid>/stat times; 100 on every Linux architecture Bun runs on. */
const CLOCK_TICKS = 100;

function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** One 32-bit word of /proc/net/tcp as its four bytes in network order. */
function wordBytes(hex: string): number[] {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return LITTLE_ENDIAN ? bytes.reverse() : bytes;
}

export function formatIpv6(bytes: number[]): string {
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff)
    return `::ffff:${bytes.slice(12).join(".")}`;
  const groups = [0, 2, 4, 6, 8, 10, 12, 14].map((i) => (bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

/** Parses /proc/net/tcp or tcp6 text into its LISTEN sockets. */
export function parseListeners(text: string, v6: boolean): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== "0A") continue;
    const [addrHex, portHex] = fields[1]!.split(":") as [string, string];
    const address = v6
      ? formatIpv6([0, 8, 16, 24].flatMap((i) => wordBytes(addrHex.slice(i, i + 8))))
      : wordBytes(addrHex).join(".");
    out.push({ address, port: parseInt(portHex, 16), inode: Number(fields[9]) });
  }
  return out;
}

/** Every TCP socket in LISTEN state on this machine (IPv4 and IPv6). */
export function listeningSockets(): Listener[] {
  return [
    ...parseListeners(readText("/proc/net/tcp") ?? "", false),
    ...parseListeners(readText("/proc/net/tcp6") ?? "", true),
  ];
}

export function isLoopback(address: string): boolean {
  return address.startsWith("127.") || address === "::1" || address.startsWith("::ffff:127.");
}

/** 0.0.0.0 and :: accept connections on every interface. */
export function isWildcard(address: string): boolean {
  return address === "0.0.0.0" || address === "::";
}

/** host:port as people write it ([::1]:5000 for IPv6). */
export function hostPort(address: string, port: number): string {
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}

interface ProcStat {
  pid: number;
  ppid: number;
  /** Start time in clock ticks after boot. */
  startTicks: number;
}

function readStat(pid: number): ProcStat | null {
  const text = readText(`/proc/${pid}/stat`);
  if (!text) return null;
  // The command name may contain spaces and parentheses: fields start after the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { pid, ppid: Number(fields[1]), startTicks: Number(fields[19]) };
}

function allPids(): number[] {
  try {
    return readdirSync("/proc")
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
  } catch {
    return [];
  }
}

/** `pid` and all its descendants (a shell script such as kc.sh may run the real server as a child). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const each of allPids()) {
    const stat = readStat(each);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(each);
    children.set(stat.ppid, list);
  }
  const out: number[] = [];
  const todo = [pid];
  while (todo.length) {
    const next = todo.pop()!;
    out.push(next);
    todo.push(...(children.get(next) ?? []));
  }
  return out;
}

function socketInodes(pid: number): number[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.push(Number(m[1]));
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readText(`/proc/${pid}/status`) ?? "");
  return m ? Number(m[1]) * 1024 : 0;
}

function bootTimeMs(): number | null {
  const m = /^btime\s+(\d+)/m.exec(readText("/proc/stat") ?? "");
  return m ? Number(m[1]) * 1000 : null;
}

export interface ProcessInfo {
  pid: number;
  alive: boolean;
  /** Resident memory of the process and its children. */
  rssBytes: number;
  startedAt: Date | null;
  /** The sockets it (or a child) listens on. */
  listening: Listener[];
}

export function processInfo(pid: number, listeners: Listener[] = listeningSockets()): ProcessInfo {
  const stat = readStat(pid);
  if (!stat) return { pid, alive: false, rssBytes: 0, startedAt: null, listening: [] };
  const tree = processTree(pid);
  const inodes = new Set(tree.flatMap(socketInodes));
  const boot = bootTimeMs();
  return {
    pid,
    alive: true,
    rssBytes: tree.reduce((sum, p) => sum + rssBytes(p), 0),
    startedAt: boot === null ? null : new Date(boot + (stat.startTicks / CLOCK_TICKS) * 1000),
    listening: listeners.filter((l) => inodes.has(l.inode)),
  };
}

/** The process listening on `port`, when it belongs to this user (found through its socket's inode). */
export function pidListeningOn(port: number, listeners: Listener[] = listeningSockets()): number | null {
  const wanted = new Set(listeners.filter((l) => l.port === port).map((l) => l.inode));
  if (wanted.size === 0) return null;
  for (const pid of allPids()) {
    if (socketInodes(pid).some((i) => wanted.has(i))) return pid;
  }
  return null;
}
