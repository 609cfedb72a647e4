import { closeSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * A service's raw output as the supervisor keeps it: HIVEMATRIX_HOME/logs/<name>.log, every
 * line the process printed (stdout and stderr), rotated by size to <name>.log.1 and on.
 */
export function outputFile(home: string, service: string): string {
  return join(home, "logs", `${service}.log`);
}

/** Where in the file a reader is: the file's identity (it changes on rotation) and a byte offset. */
export interface Position {
  ino: number;
  offset: number;
}

/** At most this much is read from the end of a file for its last lines. */
const MAX_TAIL_BYTES = 4 * 1024 * 1024;
/** At most this much new output is read at a time by a live reader. */
const MAX_READ_BYTES = 1024 * 1024;

// Colour and cursor codes mean nothing on a page.
const CONTROL = /\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f]/g;
const clean = (line: string) => line.replace(CONTROL, "");

function readRange(path: string, start: number, end: number): string {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(Math.max(0, end - start));
    const read = readSync(fd, buffer, 0, buffer.length, start);
    return buffer.subarray(0, read).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function lastLinesOf(path: string, count: number): string[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile() || stat.size === 0 || count <= 0) return [];
  const start = Math.max(0, stat.size - MAX_TAIL_BYTES);
  const lines = readRange(path, start, stat.size).split("\n");
  if (lines.at(-1) === "") lines.pop();
  // A read that began mid-file began mid-line: that first piece is not a whole line.
  if (start > 0) lines.shift();
  return lines.slice(-count).map(clean);
}

/** The last `count` lines (the rotated file first, when the current one holds fewer) and where the file ends. */
export function tailLines(path: string, count: number): { lines: string[]; end: Position | null } {
  const current = lastLinesOf(path, count);
  const older = current.length < count ? lastLinesOf(`${path}.1`, count - current.length) : [];
  const stat = statSync(path, { throwIfNoEntry: false });
  return { lines: [...older, ...current], end: stat ? { ino: stat.ino, offset: stat.size } : null };
}

/**
 * The whole lines written after `from`, and where the next read starts. When the file was
 * rotated since, the rest of the rotated file comes first, then the new file from its start.
 */
export function linesAfter(path: string, from: Position | null): { lines: string[]; next: Position | null } {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) return { lines: [], next: from };
  let lines: string[] = [];
  let offset = from?.offset ?? 0;
  if (from && (stat.ino !== from.ino || stat.size < from.offset)) {
    const rotated = statSync(`${path}.1`, { throwIfNoEntry: false });
    if (rotated?.ino === from.ino) lines = wholeLines(`${path}.1`, from.offset, rotated.size).lines;
    offset = 0;
  }
  const read = wholeLines(path, offset, stat.size);
  return { lines: [...lines, ...read.lines], next: { ino: stat.ino, offset: read.end } };
}

function wholeLines(path: string, start: number, size: number): { lines: string[]; end: number } {
  const end = Math.min(size, start + MAX_READ_BYTES);
  const text = readRange(path, start, end);
  const last = text.lastIndexOf("\n");
  // A line longer than a whole read is passed on in pieces rather than holding the reader up for ever.
  if (last < 0) return end - start === MAX_READ_BYTES ? { lines: [clean(text)], end } : { lines: [], end: start };
  const lines = text.slice(0, last).split("\n").map(clean);
  return { lines, end: start + Buffer.byteLength(text.slice(0, last + 1)) };
}
