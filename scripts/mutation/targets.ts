/**
 * What `bun run mutate` mutates, and the test files that must kill each module's mutants: one
 * line per module. Stryker runs the listed files (and only those) once per mutant, so list the
 * fast, focused tests that pin the module's rules, not every test that happens to reach it.
 * Modules with the same test files are mutated in one Stryker run.
 */
export const TARGETS: Record<string, readonly string[]> = {
  "lib/src/csrf.ts": ["lib/test/csrf.test.ts"],
  "lib/src/validate.ts": ["lib/test/validate.test.ts", "lib/test/bad-input.test.ts"],
  "apps/nexus/src/sign-in/targets.ts": ["apps/nexus/test/targets.test.ts"],
  "apps/nexus/src/proxy/guard.ts": ["apps/nexus/test/proxy-guard.test.ts"],
  "apps/nexus/src/proxy/cross-site.ts": ["apps/nexus/test/proxy-guard.test.ts"],
  "apps/core/src/tokens/api.ts": ["apps/core/test/token-exchange.test.ts", "apps/core/test/token-rejection.test.ts"],
  "apps/core/src/tokens/mint.ts": ["apps/core/test/token-exchange.test.ts", "apps/core/test/token-rejection.test.ts"],
  "apps/core/src/tokens/idp-userinfo.ts": [
    "apps/core/test/token-exchange.test.ts",
    "apps/core/test/token-rejection.test.ts",
  ],
  "apps/core/src/service-tokens/api.ts": ["apps/core/test/service-token.test.ts"],
  "apps/core/src/service-tokens/data.ts": ["apps/core/test/service-token.test.ts"],
  "lib/src/auth.ts": ["lib/test/auth.test.ts"],
};

/** Below this share of killed mutants in any file, `bun run mutate` fails. */
export const KILL_TARGET_PERCENT = 90;
