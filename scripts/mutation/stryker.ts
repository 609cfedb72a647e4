import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/** Where generated configs, logs and reports go (gitignored). */
export const WORK_DIR = ".mutation";

export interface MutationRun {
  name: string;
  files: string[];
  tests: readonly string[];
  /** Whether the TypeScript checker drops mutants that do not compile. */
  typecheck: boolean;
}

const resolveFrom = (root: string, specifier: string) => Bun.resolveSync(specifier, root);

/**
 * Writes Stryker's config for one run: the command runner with `bun test <its files>`, one
 * mutant at a time (concurrency 1: a shared 2-core machine), the TypeScript checker over the
 * mutated files only (the whole project costs minutes and gigabytes per run), unless the run
 * says otherwise, and a sandbox that
 * runs `bun install` so the workspace links (`@hivematrix/lib`) point at the mutated copy.
 */
export function writeConfig(root: string, run: MutationRun): { config: string; report: string } {
  const dir = join(root, WORK_DIR, run.name);
  mkdirSync(dir, { recursive: true });
  const tsconfig = join(dir, "tsconfig.json");
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: relative(dir, join(root, "tsconfig.json")),
      // A module may be a line range of a file (`file.ts:10-20`), as Stryker's `mutate` allows.
      files: [...new Set(run.files.map((file) => relative(dir, join(root, file.replace(/:\d.*$/, "")))))],
      include: [],
    }),
  );
  const report = join(dir, "report.json");
  const checker = resolveFrom(root, "@stryker-mutator/typescript-checker");
  const config = {
    testRunner: "command",
    commandRunner: { command: `bun test ${run.tests.join(" ")}` },
    coverageAnalysis: "off",
    mutate: run.files,
    checkers: run.typecheck ? ["typescript"] : [],
    plugins: run.typecheck ? [checker] : [],
    tsconfigFile: relative(root, tsconfig),
    concurrency: 1,
    symlinkNodeModules: false,
    buildCommand: "bun install --frozen-lockfile",
    ignorePatterns: [".hivematrix", `${WORK_DIR}/*/report.json`, `${WORK_DIR}/*/stryker.log`],
    reporters: ["json", "progress-append-only"],
    jsonReporter: { fileName: relative(root, report) },
    tempDirName: ".stryker-tmp",
    cleanTempDir: "always",
    timeoutMS: 20_000,
  };
  const file = join(dir, "stryker.config.json");
  writeFileSync(file, JSON.stringify(config, null, 2));
  return { config: file, report };
}

/** Runs Stryker under Bun (it wants Node 22; Bun stands in), with the database tests on SQLite only. */
export async function runStryker(root: string, config: string): Promise<number> {
  const bin = join(dirname(resolveFrom(root, "@stryker-mutator/core/package.json")), "bin", "stryker.js");
  const env = { ...process.env, HIVEMATRIX_TEST_POSTGRES_URL: "", HIVEMATRIX_REQUIRE_POSTGRES: "" };
  const proc = Bun.spawn(["bun", bin, "run", config], { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
  const stop = () => proc.kill("SIGINT");
  process.on("SIGINT", stop);
  const code = await proc.exited;
  process.off("SIGINT", stop);
  return code;
}
