import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import {
  assertClassesDefined,
  cssClassNames,
  findUndefinedSourceClasses,
  undefinedClasses,
} from "../../../lib/src/testing/design-system.ts";

/**
 * The design-system contract (DESIGN.md, principle 3): apps carry no styling of their own,
 * and every class they or lib/ui emit is defined in Nexus's global.css.
 */

const ROOT = join(import.meta.dir, "../../..");
const rel = (path: string) => relative(ROOT, path);

const TEST_DIRS = new Set(["test", "tests", "__tests__"]);

/** Files under `dir`, skipping installed packages, dot folders and (unless asked) test folders. */
function walk(dir: string, { skipTests = true } = {}): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!(skipTests && TEST_DIRS.has(entry.name))) out.push(...walk(path, { skipTests }));
    } else out.push(path);
  }
  return out;
}

function appDirs(): string[] {
  return readdirSync(join(ROOT, "apps"), { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => join(ROOT, "apps", e.name));
}

const isTestFile = (path: string) => /\.test\.tsx?$/.test(path);

describe("no styling outside global.css", () => {
  const sources = [...walk(join(ROOT, "apps")), ...walk(join(ROOT, "lib/src"))].filter(
    (p) => /\.(tsx?|html)$/.test(p) && !isTestFile(p) && !rel(p).startsWith("apps/nexus/static/"),
  );

  // An attribute, not a variable: `style="…"`, `style={…}` or an escaped `style=\"…\"` in a string.
  const STYLE_ATTRIBUTE = /(?<!\b(?:const|let|var)\s+)(?<![\w$.-])style\s*=(?!=)\s*\\?["'{`]/;
  const STYLE_TAG = /<style[\s>]/i;

  test("sources were found", () => {
    expect(sources.some((p) => rel(p).startsWith("lib/src/ui/"))).toBe(true);
  });

  test("no style attributes or <style> tags in apps or lib", () => {
    const offenders = sources.flatMap((path) =>
      readFileSync(path, "utf8")
        .split("\n")
        .flatMap((line, i) =>
          STYLE_ATTRIBUTE.test(line) || STYLE_TAG.test(line) ? [`${rel(path)}:${i + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(offenders).toEqual([]);
  });

  test("the style detector catches what it should and ignores look-alikes", () => {
    const flagged = [
      '<div style="color:red">',
      "<p style={{ color: 'red' }}>",
      'raw("<b style=\\"x\\">")',
      "<STYLE>p{}</STYLE>",
    ];
    for (const s of flagged) expect(STYLE_ATTRIBUTE.test(s) || STYLE_TAG.test(s)).toBe(true);
    const ignored = [
      "const style = theme;",
      "password-style stretching",
      "if (style === x)",
      "el.dataset.style = 'x'",
      "<styled-box>",
    ];
    for (const s of ignored) expect(STYLE_ATTRIBUTE.test(s) || STYLE_TAG.test(s)).toBe(false);
  });

  test("the only stylesheet is apps/nexus/static/global.css", () => {
    const sheets = [...walk(join(ROOT, "apps"), { skipTests: false }), ...walk(join(ROOT, "lib"), { skipTests: false })]
      .map(rel)
      .filter((p) => /\.(css|scss|sass|less)$/.test(p));
    expect(sheets).toEqual(["apps/nexus/static/global.css"]);
  });
});

describe("the class checker itself", () => {
  const defined = cssClassNames(
    ".a, .a--x:hover > .b { color: red } @media (min-width: 1rem) { .c { margin: .5rem } }" +
      " .d::after { content: '.nope' }",
  );

  test("reads selectors, not declarations or strings", () => {
    expect([...defined].sort()).toEqual(["a", "a--x", "b", "c", "d"]);
  });

  test("flags unknown classes in HTML", () => {
    expect(undefinedClasses("<p class=\"a  zz\"><i class='b yy'></i></p>", defined)).toEqual(["yy", "zz"]);
    expect(() => assertClassesDefined('<div class="no-such-block"></div>')).toThrow(/no-such-block/);
  });

  test("flags unknown classes in source: literals, ternaries, variables and unions", () => {
    const source = `
      type Tone = "x" | "y";
      export function A({ tone, open }: { tone: Tone; open: boolean }) {
        const cls = \`a a--\${tone}\`;
        el.className = "ignored-too";
        return <div class="a missing-1" data-class="ignored">
          <b class={open === "yes" ? "b" : "missing-2"} />
          <i class={cls} />
          <u class={\`c \${open ? "missing-3" : ""}\`} />
          <s class={\`zz--\${whatever}\`} />
        </div>;
      }`;
    expect(findUndefinedSourceClasses([{ path: "x.tsx", source }], defined)).toEqual([
      "x.tsx: a--y",
      "x.tsx: missing-1",
      "x.tsx: missing-2",
      "x.tsx: missing-3",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source under test holds this literal text
      "x.tsx: zz--${whatever}",
    ]);
  });
});

describe("every class in source is defined", () => {
  const files = [...appDirs().map((d) => join(d, "src")), join(ROOT, "lib/src")]
    .flatMap((dir) => {
      try {
        return walk(dir);
      } catch {
        return [];
      }
    })
    // lib/src/testing holds test tooling (this checker among it), never rendered to users.
    .filter((p) => /\.tsx?$/.test(p) && !isTestFile(p) && !rel(p).startsWith("lib/src/testing/"))
    .map((path) => ({ path: rel(path), source: readFileSync(path, "utf8") }));

  test("in apps/*/src and lib/src", () => {
    expect(files.length).toBeGreaterThan(10);
    expect(findUndefinedSourceClasses(files)).toEqual([]);
  });
});
