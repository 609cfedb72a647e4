/**
 * What `bun run mutate` mutates, and the test files that must kill each module's mutants: one
 * line per module. Stryker runs the listed files (and only those) once per mutant, so list the
 * fast, focused tests that pin the module's rules, not every test that happens to reach it.
 * Modules with the same test files are mutated in one Stryker run.
 */
const coreTests = (...names: string[]) => names.map((name) => `apps/core/test/${name}.test.ts`);
const CORE_TOKEN_TESTS = coreTests("token-exchange", "token-verdicts", "token-rejection", "bad-input");
const CORE_SERVICE_TESTS = coreTests("service-credentials", "service-token", "bad-input");
const codexTests = (...names: string[]) => names.map((name) => `apps/codex/test/${name}.test.ts`);

export const TARGETS: Record<string, readonly string[]> = {
  "lib/src/csrf.ts": ["lib/test/csrf.test.ts"],
  "lib/src/validate.ts": ["lib/test/validate.test.ts", "lib/test/bad-input.test.ts"],
  "apps/nexus/src/sign-in/targets.ts": ["apps/nexus/test/targets.test.ts"],
  "apps/nexus/src/proxy/guard.ts": ["apps/nexus/test/proxy-guard.test.ts"],
  "apps/nexus/src/proxy/cross-site.ts": ["apps/nexus/test/proxy-guard.test.ts"],
  "apps/core/src/tokens/api.ts": CORE_TOKEN_TESTS,
  "apps/core/src/tokens/mint.ts": CORE_TOKEN_TESTS,
  "apps/core/src/tokens/idp-userinfo.ts": CORE_TOKEN_TESTS,
  "apps/core/src/service-tokens/api.ts": CORE_SERVICE_TESTS,
  "apps/core/src/service-tokens/data.ts": CORE_SERVICE_TESTS,
  "lib/src/auth.ts": ["lib/test/auth.test.ts"],
  "apps/codex/src/access.ts": codexTests("access-table"),
  "apps/codex/src/shared/client-scope.ts": codexTests("client-scope"),
  "apps/codex/src/billing/engine/compute.ts": codexTests("billing-engine"),
  "apps/codex/src/billing/months.ts": codexTests("billing-months"),
  "apps/codex/src/billing/bills/data-inputs-usage.ts": codexTests("billing-months", "billing-inputs"),
  "apps/codex/src/shared/csv.ts": codexTests("csv-cells", "csv-formulas"),
};

/**
 * Modules mutated without the TypeScript checker: their route declarations (zod-openapi's types)
 * take the checker tens of seconds per mutant, far longer than running their tests.
 */
export const UNCHECKED = new Set(Object.keys(TARGETS).filter((module) => module.startsWith("apps/core/")));

/** Below this share of killed mutants in any file, `bun run mutate` fails. */
export const KILL_TARGET_PERCENT = 90;
