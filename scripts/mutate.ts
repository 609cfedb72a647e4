/**
 * `bun run mutate [--files <path>…] [--changed [<ref>]] [--list]`: mutation testing with StrykerJS
 * on the security code (scripts/mutation/targets.ts). Prints the kill rate per file and every
 * surviving mutant; fails when a file kills fewer than KILL_TARGET_PERCENT of its mutants.
 *   --files    only these modules (a path or its end: `csrf.ts`, `apps/core/src/tokens/api.ts`)
 *   --changed  only modules whose source or tests differ from <ref> (default origin/main, else main)
 *   --no-check without the TypeScript checker for every module (targets.ts's UNCHECKED never has
 *              it): mutants that do not compile are run (and mostly killed) instead of dropped
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { formatScore, percent, scoresOf, type FileScore, type StrykerReport } from "./mutation/report.ts";
import { runStryker, writeConfig, type MutationRun } from "./mutation/stryker.ts";
import { KILL_TARGET_PERCENT, TARGETS, UNCHECKED } from "./mutation/targets.ts";

const root = join(import.meta.dir, "..");
const args = process.argv.slice(2);

function optionValues(flag: string): string[] | null {
  const at = args.indexOf(flag);
  if (at < 0) return null;
  const values: string[] = [];
  for (const arg of args.slice(at + 1)) {
    if (arg.startsWith("--")) break;
    values.push(...arg.split(",").filter(Boolean));
  }
  return values;
}

function git(...command: string[]): string | null {
  const out = Bun.spawnSync(["git", ...command], { cwd: root, stderr: "ignore" });
  return out.exitCode === 0 ? out.stdout.toString().trim() : null;
}

/** Files changed since the merge base with `ref`, committed or not. */
function changedFiles(ref: string | undefined): Set<string> {
  const base = (ref ? [ref] : ["origin/main", "main"]).map((r) => git("merge-base", "HEAD", r)).find(Boolean);
  if (!base) throw new Error(`no merge base with ${ref ?? "origin/main or main"}`);
  return new Set([
    ...(git("diff", "--name-only", base) ?? "").split("\n"),
    ...(git("ls-files", "-o", "--exclude-standard") ?? "").split("\n"),
  ]);
}

function selectedModules(): string[] {
  let modules = Object.keys(TARGETS);
  const files = optionValues("--files");
  if (files) {
    const unknown = files.filter((f) => !modules.some((m) => m === f || m.endsWith(`/${f}`)));
    if (unknown.length) throw new Error(`not a mutation target: ${unknown.join(", ")} (see --list)`);
    modules = modules.filter((m) => files.some((f) => m === f || m.endsWith(`/${f}`)));
  }
  const changed = optionValues("--changed");
  if (changed) {
    const touched = changedFiles(changed[0]);
    // A module may be a line range of a file (`file.ts:5-5`): the file is what changed.
    modules = modules.filter((m) => touched.has(m.replace(/:\d.*$/, "")) || TARGETS[m]!.some((t) => touched.has(t)));
  }
  return modules;
}

/** One Stryker run per list of test files (and checker), so modules sharing them start one sandbox. */
function runsOf(modules: string[]): MutationRun[] {
  const runs = new Map<string, MutationRun>();
  for (const module of modules) {
    const tests = TARGETS[module]!.filter((t) => existsSync(join(root, t)));
    if (tests.length === 0) throw new Error(`${module}: none of its test files exist`);
    const typecheck = !args.includes("--no-check") && !UNCHECKED.has(module);
    const key = `${typecheck} ${tests.join(" ")}`;
    const run = runs.get(key) ?? { name: "", files: [], tests, typecheck };
    run.files.push(module);
    runs.set(key, run);
  }
  // Named after its modules, so runs of different selections never share a folder.
  return [...runs.values()].map((run) => ({
    ...run,
    name: run.files.map((file) => basename(file.replace(/:\d.*$/, ""), ".ts")).join("+"),
  }));
}

if (args.includes("--list")) {
  for (const [module, tests] of Object.entries(TARGETS)) console.log(`${module}\n    ${tests.join("\n    ")}`);
  process.exit(0);
}
const modules = selectedModules();
if (modules.length === 0) {
  console.log("mutate: no mutation target selected");
  process.exit(0);
}
const scores: FileScore[] = [];
for (const run of runsOf(modules)) {
  console.log(`\nmutate: ${run.files.join(", ")}\n        against bun test ${run.tests.join(" ")}`);
  const { config, report } = writeConfig(root, run);
  rmSync(report, { force: true });
  const code = await runStryker(root, config);
  if (code !== 0 || !existsSync(report)) {
    console.error(`mutate: Stryker failed (exit ${code}) for ${run.files.join(", ")}`);
    process.exit(1);
  }
  scores.push(...scoresOf(JSON.parse(readFileSync(report, "utf8")) as StrykerReport));
}

console.log(`\nKill rate per file (target ${KILL_TARGET_PERCENT}%):`);
for (const score of scores) console.log(formatScore(score));
const survivors = scores.flatMap((s) => s.survivors);
if (survivors.length) console.log(`\nSurviving mutants (${survivors.length}):`);
for (const s of survivors) console.log(`  ${s.where}  ${s.mutator}  → ${s.replacement}`);
const below = scores.filter((s) => percent(s) < KILL_TARGET_PERCENT);
if (below.length) console.log(`\nBelow ${KILL_TARGET_PERCENT}%: ${below.map((s) => s.file).join(", ")}`);
process.exit(below.length ? 1 : 0);
