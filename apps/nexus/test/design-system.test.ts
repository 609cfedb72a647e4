import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import {
  GLOBAL_CSS_PATH,
  assertClassesDefined,
  cssClassNames,
  definedClasses,
  findUndefinedSourceClasses,
  undefinedClasses,
} from "../../../lib/src/testing/design-system.ts";

/**
 * The design-system contract (DESIGN.md, principle 3): apps carry no styling of their own,
 * and every class they or lib/ui emit is defined in Nexus's global.css.
 */

const ROOT = join(import.meta.dir, "../../..");
const CSS = readFileSync(GLOBAL_CSS_PATH, "utf8");
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

describe("global.css", () => {
  test("is self-contained: no imports, external URLs or web fonts", () => {
    expect(CSS).not.toMatch(/@import|@font-face|url\(|https?:\/\//);
  });

  test("braces balance", () => {
    const text = CSS.replace(/\/\*[\s\S]*?\*\//g, "");
    expect(text.split("{").length).toBe(text.split("}").length);
  });

  test("defines every block, element and modifier of the design system", () => {
    const required = [
      "layout",
      "layout__header",
      "layout__brand",
      "layout__skip",
      "layout__user",
      "layout__main",
      "nav",
      "nav__list",
      "nav__item",
      "nav__link",
      "nav__link--current",
      "card",
      "card__header",
      "card__title",
      "card__actions",
      "card__body",
      "btn",
      "btn__icon",
      "btn__label",
      "btn--primary",
      "btn--secondary",
      "btn--danger",
      "btn--ghost",
      "btn--small",
      "table",
      "table__wrap",
      "table__caption",
      "table__head",
      "table__head--numeric",
      "table__sort",
      "table__sort-indicator",
      "table__cell",
      "table__cell--numeric",
      "form",
      "form--inline",
      "form--wide",
      "form__actions",
      "form__fieldset",
      "form__legend",
      "field",
      "field--invalid",
      "field--checkbox",
      "field__label",
      "field__input",
      "field__input--textarea",
      "field__input--select",
      "field__checkbox",
      "field__hint",
      "field__error",
      "field__required",
      "alert",
      "alert--info",
      "alert--success",
      "alert--warning",
      "alert--error",
      "alert__title",
      "alert__message",
      "badge",
      "badge--neutral",
      "badge--info",
      "badge--success",
      "badge--warning",
      "badge--danger",
      "stat",
      "stat--link",
      "stat__value",
      "stat__label",
      "stat__hint",
      "stat-grid",
      "pagination",
      "pagination__link",
      "pagination__link--disabled",
      "pagination__info",
      "modal",
      "modal--open",
      "modal__dialog",
      "modal__header",
      "modal__title",
      "modal__close",
      "modal__body",
      "modal__footer",
      "empty-state",
      "empty-state__title",
      "empty-state__message",
      "empty-state__action",
      "page-header",
      "page-header__content",
      "page-header__title",
      "page-header__description",
      "page-header__actions",
      "tabs",
      "tabs__list",
      "tabs__tab",
      "tabs__tab--current",
      "toolbar",
      "toolbar__group",
      "description-list",
      "description-list__term",
      "description-list__detail",
      "log",
      "log-line",
      "log-line--debug",
      "log-line--info",
      "log-line--warning",
      "log-line--error",
      "log-line--critical",
      "log-line__time",
      "log-line__service",
      "log-line__level",
      "log-line__message",
      "chart",
      "chart__svg",
      "chart__bar",
      "chart__line",
      "chart__point",
      "chart__axis",
      "chart__grid",
      "chart__label",
      "chart__legend",
      "chart__legend-item",
      "chart__swatch",
      "chart__table",
      "chart--sparkline",
      ...[1, 2, 3, 4, 5, 6].map((n) => `chart__series--${n}`),
      "visually-hidden",
    ];
    const defined = definedClasses();
    expect(required.filter((c) => !defined.has(c))).toEqual([]);
  });

  test("the modal works without JavaScript: hidden until :target", () => {
    expect(ruleBody(".modal")).toMatch(/display:\s*none/);
    expect(CSS).toMatch(/\.modal:target[^{]*\{[^}]*display:\s*flex/);
  });

  test("has focus-visible styles and honours reduced motion", () => {
    expect(CSS).toMatch(/:focus-visible\s*\{[^}]*outline:/);
    expect(CSS).toMatch(/@media \(prefers-reduced-motion: reduce\)/);
  });

  test("every custom property used is defined", () => {
    const defined = new Set([...CSS.matchAll(/(--[\w-]+)\s*:/g)].map((m) => m[1]));
    const used = new Set([...CSS.matchAll(/var\((--[\w-]+)/g)].map((m) => m[1]));
    expect([...used].filter((v) => !defined.has(v))).toEqual([]);
  });
});

/** The declarations of the first rule whose selector is exactly `selector`. */
function ruleBody(selector: string): string {
  const escaped = selector.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?:^|\\})\\s*${escaped}\\s*\\{([^}]*)\\}`, "m").exec(CSS)?.[1] ?? "";
}

describe("themes", () => {
  const tokens = (body: string) =>
    Object.fromEntries([...body.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
  const light = tokens(ruleBody(":root"));
  const mediaDark = tokens(
    /@media \(prefers-color-scheme: dark\)\s*\{\s*:root:not\(\[data-theme="light"\]\)\s*\{([^}]*)\}/.exec(CSS)?.[1] ??
      "",
  );
  const forcedDark = tokens(ruleBody(':root[data-theme="dark"]'));
  const dark = { ...light, ...forcedDark };

  test("the OS dark theme and data-theme=dark set the same tokens", () => {
    expect(Object.keys(forcedDark).length).toBeGreaterThan(20);
    expect(mediaDark).toEqual(forcedDark);
  });

  test("data-theme=light wins over the OS preference", () => {
    expect(CSS).toContain(':root:not([data-theme="light"])');
  });

  /** WCAG 2 contrast ratio of two #rrggbb colours. */
  function contrast(a: string, b: string): number {
    const luminance = (hex: string) => {
      const [r, g, bl] = [1, 3, 5]
        .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
        .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
    };
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi! + 0.05) / (lo! + 0.05);
  }

  // [foreground, background, minimum]: 4.5 for text (WCAG AA), 3 for borders, focus rings and chart marks.
  const surfaces = ["bg", "surface", "surface-alt"];
  const pairs: [string, string, number][] = [
    ...surfaces.flatMap((bg): [string, string, number][] => [
      ["color-text", `color-${bg}`, 4.5],
      ["color-text-muted", `color-${bg}`, 4.5],
      ["color-link", `color-${bg}`, 4.5],
      ["color-primary-strong", `color-${bg}`, 4.5],
      ["color-border-strong", `color-${bg}`, 3],
      ["color-focus", `color-${bg}`, 3],
      ...["info", "success", "warning", "danger"].map((t): [string, string, number] => [
        `color-${t}-fg`,
        `color-${bg}`,
        4.5,
      ]),
    ]),
    ["color-on-primary", "color-primary", 4.5],
    ["color-on-primary", "color-primary-hover", 4.5],
    ["color-on-danger", "color-danger", 4.5],
    ["color-on-danger", "color-danger-hover", 4.5],
    ["color-primary-strong", "color-primary-subtle", 4.5],
    ["color-danger", "color-surface", 3],
    ...["neutral", "info", "success", "warning", "danger"].flatMap((t): [string, string, number][] => [
      [`color-${t}-fg`, `color-${t}-bg`, 4.5],
      ["color-text", `color-${t}-bg`, 4.5],
      ["color-text-muted", `color-${t}-bg`, 4.5],
      ["color-link", `color-${t}-bg`, 4.5],
    ]),
    ...[1, 2, 3, 4, 5, 6].map((n): [string, string, number] => [`chart-${n}`, "color-surface", 3]),
  ];

  for (const [name, theme] of [
    ["light", light],
    ["dark", dark],
  ] as const) {
    test(`${name} theme meets WCAG AA contrast`, () => {
      const failures = pairs.flatMap(([fg, bg, min]) => {
        const a = theme[`--${fg}`];
        const b = theme[`--${bg}`];
        if (!a || !b) return [`--${fg} or --${bg} is missing`];
        const ratio = contrast(a, b);
        return ratio >= min ? [] : [`--${fg} on --${bg}: ${ratio.toFixed(2)} < ${min}`];
      });
      expect(failures).toEqual([]);
    });
  }
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
