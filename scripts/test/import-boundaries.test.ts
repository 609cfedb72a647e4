import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { REPO_ROOT } from "@hivematrix/lib/config";
import { tempHome } from "@hivematrix/lib/testing";
import { boundaryViolations, importsOf } from "../checks/import-boundaries.ts";

function tree(files: Record<string, string>): string {
  const root = tempHome("hm-imports-");
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), source);
  }
  return root;
}

describe("import boundaries", () => {
  test("reads every kind of import, type-only and re-exports included", () => {
    const source = [
      'import { a } from "./a.ts";',
      'import type { B } from "../b/data.ts";',
      'export { c } from "./c.ts";',
      'export * from "./d.ts";',
      'import "./side-effect.ts";',
      'const e = await import("./e.ts");',
      "import {\n  f,\n  g,\n} from './f.ts';",
    ].join("\n");
    expect(importsOf(source)).toEqual([
      "./a.ts",
      "../b/data.ts",
      "./c.ts",
      "./d.ts",
      "./side-effect.ts",
      "./e.ts",
      "./f.ts",
    ]);
  });

  test("names the file and the import of each broken rule, and lets the allowed ones be", () => {
    const root = tree({
      "apps/one/package.json": JSON.stringify({ name: "@hivematrix/one", exports: { ".": "./src/app.ts" } }),
      "apps/one/src/app.ts": 'import { a } from "./alpha/api.ts";\nimport { b } from "./beta/pages.tsx";',
      "apps/one/src/alpha/api.ts": 'import { q } from "./data.ts";\nimport { r } from "../beta/data.ts";',
      "apps/one/src/alpha/pages.tsx": 'import { x } from "../beta/api.ts";',
      "apps/one/src/alpha/views.tsx":
        'import type { Row } from "./data.ts";\nimport { Card } from "@hivematrix/lib/ui";',
      "apps/one/src/alpha/data.ts": 'import { other } from "../../../two/src/db/schema.ts";',
      "apps/one/src/beta/pages.tsx": 'import { v } from "./views.tsx";',
      "apps/one/src/beta/views.tsx": 'import { p } from "./pages.tsx";',
      "apps/two/src/app.ts": 'import { one } from "@hivematrix/one";',
      "lib/src/thing.ts": 'import { one } from "../../apps/one/src/app.ts";',
      "scripts/bench/a.ts":
        'import { app } from "@hivematrix/one";\nimport { deep } from "@hivematrix/one/src/db/schema.ts";',
      "scripts/bench/b.ts":
        'import { seed } from "../../apps/one/src/seed.ts";\nimport { lib } from "@hivematrix/lib/db";',
    });
    expect(boundaryViolations(root).sort()).toEqual([
      'apps/one/src/alpha/data.ts: imports "../../../two/src/db/schema.ts" — apps talk to each other over HTTP only',
      'apps/one/src/alpha/pages.tsx: imports "../beta/api.ts" — a feature never imports another feature\'s routes',
      'apps/one/src/alpha/views.tsx: imports "./data.ts" — views import no data modules or routes',
      'apps/one/src/beta/views.tsx: imports "./pages.tsx" — views import no data modules or routes',
      'apps/two/src/app.ts: imports "@hivematrix/one" — apps talk to each other over HTTP only',
      'lib/src/thing.ts: imports "../../apps/one/src/app.ts" — lib never imports an app',
      'scripts/bench/a.ts: imports "@hivematrix/one/src/db/schema.ts" — scripts use only what apps/one/package.json exports',
      'scripts/bench/b.ts: imports "../../apps/one/src/seed.ts" — scripts import an app through its package exports',
    ]);
  });

  test("this repository follows them: every violation is named with its file and import", () => {
    expect(boundaryViolations(REPO_ROOT)).toEqual([]);
  });
});
