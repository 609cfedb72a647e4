import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { definedClasses, GLOBAL_CSS_PATH } from "../../../lib/src/testing/design-system.ts";

// global.css itself: self-contained, every block of the design system, accessible, and two
// themes written as one palette that meets WCAG AA contrast in each.

const CSS = readFileSync(GLOBAL_CSS_PATH, "utf8");

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
  const root = ruleBody(":root");
  const declared = Object.fromEntries([...root.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
  // One argument of light-dark(): plain text or one level of parentheses, e.g. rgb(0 0 0 / 0.4).
  const ARG = String.raw`((?:[^(),]|\([^()]*\))+)`;
  const LIGHT_DARK = new RegExp(String.raw`light-dark\(${ARG},${ARG}\)`, "g");
  /** Every token as one theme sees it: light-dark(a, b) is `a` in the light theme and `b` in the dark. */
  const theme = (which: 1 | 2) =>
    Object.fromEntries(
      Object.entries(declared).map(([name, value]) => [name, value.replace(LIGHT_DARK, (...m) => m[which].trim())]),
    );
  const light = theme(1);
  const dark = theme(2);
  const palette = (name: string) => /^--(color|chart|shadow)-/.test(name);

  test("each palette is written once: every colour token holds its light and its dark value, in :root only", () => {
    const colours = Object.keys(declared).filter((name) => /^--(color|chart)-/.test(name));
    expect(colours.length).toBeGreaterThan(20);
    expect(colours.filter((name) => !declared[name]!.startsWith("light-dark("))).toEqual([]);
    const settings = [...CSS.matchAll(/(--[\w-]+)\s*:/g)].map((m) => m[1]!).filter(palette);
    expect(settings.sort()).toEqual(Object.keys(declared).filter(palette).sort());
  });

  test("the device's preference by default; data-theme=light or dark wins over it", () => {
    expect(root).toMatch(/color-scheme:\s*light dark;/);
    expect(ruleBody(':root[data-theme="light"]').trim()).toBe("color-scheme: light;");
    expect(ruleBody(':root[data-theme="dark"]').trim()).toBe("color-scheme: dark;");
    expect(CSS).not.toContain("prefers-color-scheme");
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
