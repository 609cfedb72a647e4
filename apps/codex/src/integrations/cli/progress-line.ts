import { PROGRESS_COUNT } from "../sync/report.ts";
import type { JobView } from "./codex-api.ts";

const n = (x: number) => x.toLocaleString("en-US");
const clock = (iso: string) => `${iso.slice(11, 16)} UTC`;

/** One line of a running sync's progress, e.g. "running · reading tickets … · 25 pages, 2,503 requests, …". */
export function progressLine(job: JobView): string {
  const p = job.progress;
  const parts = [job.status];
  if (p.phase) parts.push(p.phase);
  const waits = p.waits ? `, ${n(p.waits)} waits (${n(p.waited_seconds)} s)` : "";
  parts.push(`${n(p.pages)} pages, ${n(p.requests)} requests, ${n(p.items_written)} items written${waits}`);
  if (p.waiting) parts.push(`waiting until ${clock(p.waiting.until)}: ${p.waiting.reason}`);
  return parts.join(" · ");
}

/** What a finished run did: its outcome, time and the counts of what it changed or skipped. */
export function summaryLine(job: JobView): string {
  const seconds = job.duration_ms === null ? "" : ` in ${(job.duration_ms / 1000).toFixed(1)} s`;
  const counts = Object.entries(job.counts)
    .filter(([k, v]) => v > 0 && !PROGRESS_COUNT.test(k))
    .map(([k, v]) => `${k.replace(/_/g, " ")}: ${n(v)}`)
    .join(", ");
  return `${job.status}${seconds}${counts ? `: ${counts}` : ""}${job.error ? `\nerror: ${job.error}` : ""}`;
}
