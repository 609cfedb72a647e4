/**
 * `bun run bench phi [--set FILE] [--runs 300] [--summary]`
 *
 * Brainhair's PHI/CJIS filter measured on labelled data (format and scoring rule:
 * ../shared/data/README.md): recall per entity type, per level and overall, keep-rate over the
 * `keep` strings, and the worst misses; then speed on one core: p95 of filterText on a 2 KB ticket
 * text and MB/s of filterData on a `{tickets: [...]}` value of about 1 MB.
 * Targets on the development set (the default --set): overall recall ≥ 0.97, keep-rate ≥ 0.95, no
 * type below 0.90, p95 ≤ 5 ms, ≥ 1 MB/s. Exits 1 when one is missed.
 * `--summary` prints the figures only, no values from the set (for a held-out set: its misses and
 * lost keep strings must not be read).
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { filterData, filterText, type Json } from "@hivematrix/brainhair/filter";
import {
  type LabelledItem,
  loadLabelled,
  rate,
  type Score,
  score,
  type Tally,
} from "@hivematrix/brainhair/filter/eval";

const { values } = parseArgs({
  options: {
    set: { type: "string" },
    runs: { type: "string", default: "300" },
    summary: { type: "boolean", default: false },
  },
  strict: true,
});
const root = join(import.meta.dir, "..", "..");
const setPath = values.set ?? join(root, "..", "shared", "data", "phi-dev.jsonl");
const items = loadLabelled(setPath);

const pct = (t: Tally): string => `${rate(t).toFixed(3)} (${t.hit}/${t.total})`;

function printScore(s: Score): void {
  console.log(`\nrecall   ${pct(s.recall)}\nkeep     ${pct(s.keep)}\nfailures ${s.failures.length}`);
  console.log("\nrecall by type");
  for (const [type, t] of [...s.byType].sort((a, b) => rate(a[1]) - rate(b[1]) || a[0].localeCompare(b[0]))) {
    console.log(`  ${type.padEnd(24)} ${pct(t)}`);
  }
  console.log("\nby level");
  for (const [level, l] of s.byLevel) console.log(`  ${level.padEnd(9)} recall ${pct(l.recall)}  keep ${pct(l.keep)}`);
  if (values.summary) {
    console.log(`\nmisses ${s.misses.length}, lost keep strings ${s.lost.length}, failures ${s.failures.length}`);
    return;
  }
  const typeRate = (type: string) => rate(s.byType.get(type) ?? { hit: 0, total: 0 });
  const misses = [...s.misses].sort((a, b) => typeRate(a.type) - typeRate(b.type)).slice(0, 20);
  console.log(`\nworst misses (${s.misses.length})`);
  for (const m of misses) console.log(`  ${m.type.padEnd(24)} ${JSON.stringify(m.value).padEnd(34)} ${m.id}`);
  console.log(`\nlost keep strings (${s.lost.length})`);
  for (const l of s.lost.slice(0, 20)) console.log(`  ${JSON.stringify(l.value).padEnd(58)} ${l.id}`);
  for (const f of s.failures) console.log(`  FAILED ${f.id}: ${f.error}`);
}

/** A ticket text of exactly 2 KB cut from the set's hipaa and cjis items. */
function ticketText(set: LabelledItem[]): string {
  const texts = set.filter((i) => i.level !== "standard").map((i) => i.text);
  let text = "";
  for (let i = 0; text.length < 2048; i++) text += `${texts[i % texts.length]}\n\n`;
  return text.slice(0, 2048);
}

/** About 1 MB of `{tickets: [...]}` as a PSA returns it, made from the set's texts. */
function ticketsValue(set: LabelledItem[]): Json {
  const tickets: Json[] = [];
  for (let n = 0, bytes = 0; bytes < 1_000_000; n++) {
    const item = set[n % set.length]!;
    const ticket: Json = {
      id: n,
      subject: item.text.split("\n")[0]!.slice(0, 80),
      requester: { name: "Kofi Asante", email: "kasante@example.org", phone: "406-555-0199" },
      description: item.text,
      status: "open",
      asset: { hostname: "EFP-INT01", serial: "7HQ4KX3", ip_address: "10.14.3.77" },
    };
    tickets.push(ticket);
    bytes += JSON.stringify(ticket).length;
  }
  return { tickets };
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

console.log(`PHI/CJIS filter on ${setPath}: ${items.length} items`);
const loadStart = performance.now();
filterText("warm-up: Dr. Jane Doe", "hipaa");
const loadMs = performance.now() - loadStart;
const s = score(items, (text, level) => filterText(text, level).text);
printScore(s);

/**
 * The machine may be shared: other processes stretch wall-clock times, so each measurement is
 * repeated in rounds and the best round counts (what the filter costs on one free core); every
 * round is printed with the load average.
 */
const ROUNDS = 3;
const runs = Number(values.runs);
const text = ticketText(items);
for (let i = 0; i < 20; i++) filterText(text, "hipaa");
const textRounds: { p50: number; p95: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  Bun.gc(true);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    filterText(text, i % 2 === 0 ? "hipaa" : "cjis");
    samples.push(performance.now() - t0);
  }
  textRounds.push({ p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) });
}
const data = ticketsValue(items);
const bytes = JSON.stringify(data).length;
filterData(data, "hipaa");
const jsonRounds: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  Bun.gc(true);
  const t0 = performance.now();
  filterData(data, "hipaa");
  jsonRounds.push(bytes / 1e6 / ((performance.now() - t0) / 1000));
}
const p95 = Math.min(...textRounds.map((t) => t.p95));
const mbPerS = Math.max(...jsonRounds);
const load = loadavg()[0]!.toFixed(1);
console.log(`\nspeed (one core; load average ${load}; best of ${ROUNDS} rounds counts)`);
console.log(`  first call (loads the name lexicons) ${loadMs.toFixed(0)} ms`);
const rounds = textRounds.map((t) => `p50 ${t.p50.toFixed(2)} / p95 ${t.p95.toFixed(2)} ms`).join(", ");
console.log(`  2 KB text, ${runs} runs a round: ${rounds}`);
const json = jsonRounds.map((m) => m.toFixed(2)).join(", ");
console.log(`  JSON, ${(bytes / 1e6).toFixed(2)} MB {tickets: [...]} a round: ${json} MB/s`);

const worstType = Math.min(...[...s.byType.values()].map(rate));
const targets: [string, boolean][] = [
  ["overall recall ≥ 0.97", rate(s.recall) >= 0.97],
  ["keep-rate ≥ 0.95", rate(s.keep) >= 0.95],
  ["no type below 0.90", worstType >= 0.9],
  ["no failed calls", s.failures.length === 0],
  ["p95 ≤ 5 ms per 2 KB text", p95 <= 5],
  ["≥ 1 MB/s of JSON", mbPerS >= 1],
];
console.log("\ntargets");
for (const [name, met] of targets) console.log(`  ${met ? "met    " : "MISSED "} ${name}`);
process.exit(targets.every(([, met]) => met) ? 0 : 1);
