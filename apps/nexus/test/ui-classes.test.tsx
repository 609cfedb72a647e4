import { describe, expect, test } from "bun:test";
import {
  Alert,
  BarChart,
  Badge,
  Button,
  Card,
  Cell,
  DescriptionList,
  EmptyState,
  Field,
  Form,
  FormActions,
  Layout,
  LineChart,
  LogLine,
  LogList,
  Modal,
  Nav,
  PageHeader,
  Pagination,
  Sparkline,
  Stat,
  StatGrid,
  Table,
  Tabs,
  Toolbar,
  ToolbarGroup,
  type AlertVariant,
  type BadgeVariant,
  type ButtonVariant,
  type LogLineLevel,
} from "../../../lib/src/ui/index.tsx";
import { ErrorPage } from "../../../lib/src/errors.tsx";
import { assertClassesDefined } from "../../../lib/src/testing/design-system.ts";

// The design-system contract's other half (design-system.test.ts has the first): every class lib/ui
// renders, in every variant, is defined in global.css.

describe("every class lib/ui renders is defined", () => {
  // Record<T, 1> takes every member of the union and nothing else, so a new variant must be listed here.
  const every = <T extends string>(members: Record<T, 1>) => Object.keys(members) as T[];
  const buttonVariants = every<ButtonVariant>({ primary: 1, secondary: 1, danger: 1, ghost: 1 });
  const alertVariants = every<AlertVariant>({ info: 1, success: 1, warning: 1, error: 1 });
  const badgeVariants = every<BadgeVariant>({ neutral: 1, info: 1, success: 1, warning: 1, danger: 1 });
  const logLevels: string[] = every<LogLineLevel>({ debug: 1, info: 1, warning: 1, error: 1, critical: 1 });
  const fieldTypes = [
    "text",
    "email",
    "password",
    "number",
    "date",
    "tel",
    "url",
    "search",
    "file",
    "textarea",
    "select",
    "checkbox",
  ] as const;

  const cases: [string, () => unknown][] = [
    [
      "Layout",
      () =>
        Layout({
          title: "T",
          app: "App",
          home: "/app/",
          user: { name: "Ada", level: "admin" },
          nav: [
            { href: "/a", label: "A", current: true },
            { href: "/b", label: "B" },
          ],
          children: "body",
        }),
    ],
    ["Layout bare", () => Layout({ title: "T", children: "body" })],
    [
      "Nav",
      () =>
        Nav({
          links: [
            { href: "/a", label: "A", current: true },
            { href: "/b", label: "B" },
          ],
        }),
    ],
    [
      "PageHeader",
      () =>
        PageHeader({
          title: "T",
          description: "D",
          actions: Button({ label: "New", variant: "primary", href: "/new" }),
        }),
    ],
    ["Card", () => [Card({ title: "T", actions: "x", children: "b", id: "c" }), Card({ children: "b" })]],
    ...buttonVariants.map((variant): [string, () => unknown] => [
      `Button ${variant}`,
      () => [
        Button({ label: "L", variant }),
        Button({ label: "L", variant, href: "/x", icon: "+" }),
        Button({ label: "L", variant, href: "/x", disabled: true }),
        Button({ label: "L", variant, size: "small", disabled: true }),
      ],
    ]),
    [
      "Table",
      () =>
        Table({
          caption: "C",
          columns: [
            { label: "A", sortHref: "?s=a", sorted: "asc" },
            { label: "B", sortHref: "?s=b", sorted: "desc", numeric: true },
            { label: "C", sortHref: "?s=c" },
            { label: "D" },
          ],
          children: [Cell({ children: "x" }), Cell({ children: 1, numeric: true })],
        }),
    ],
    [
      "Form",
      () => [
        Form({
          action: "/x",
          csrf: "t",
          label: "F",
          children: [
            Field({ name: "a", label: "A" }),
            FormActions({ children: Button({ label: "Save", variant: "primary" }) }),
          ],
        }),
        Form({ action: "/x", inline: true, method: "get", children: "i" }),
        Form({ action: "/x", wide: true, enctype: "multipart/form-data", children: "w" }),
      ],
    ],
    ...fieldTypes.map((type): [string, () => unknown] => [
      `Field ${type}`,
      () => [
        Field({
          name: `f-${type}`,
          label: "L",
          type,
          hint: "H",
          required: true,
          options: [{ value: "a", label: "A" }],
          value: "a",
        }),
        Field({ name: `g-${type}`, label: "L", type, error: "Bad", full: true, value: true }),
      ],
    ]),
    ...alertVariants.map((variant): [string, () => unknown] => [
      `Alert ${variant}`,
      () => [Alert({ variant, title: "T", children: "M" }), Alert({ variant, children: "M" })],
    ]),
    ...badgeVariants.map((variant): [string, () => unknown] => [
      `Badge ${variant}`,
      () => Badge({ variant, children: "B" }),
    ]),
    ["Badge default", () => Badge({ children: "B" })],
    [
      "Stat",
      () =>
        StatGrid({ children: [Stat({ label: "L", value: 1 }), Stat({ label: "L", value: 2, href: "/x", hint: "H" })] }),
    ],
    ["Pagination", () => [Pagination({ prevHref: "/p", nextHref: "/n", info: "1–50" }), Pagination({})]],
    [
      "Modal",
      () => [
        Modal({ id: "m", title: "T", children: "B", closeHref: "#x" }),
        Modal({ id: "n", title: "T", footer: Button({ label: "OK" }), open: true, closeHref: "/x" }),
      ],
    ],
    [
      "EmptyState",
      () => [EmptyState({ title: "T", message: "M", action: Button({ label: "A" }) }), EmptyState({ title: "T" })],
    ],
    [
      "Tabs",
      () =>
        Tabs({
          label: "Views",
          tabs: [
            { href: "/a", label: "A", current: true },
            { href: "/b", label: "B" },
          ],
        }),
    ],
    [
      "Toolbar",
      () => [
        Toolbar({
          label: "Filter",
          action: "/x",
          children: [
            ToolbarGroup({ grow: true, children: Field({ name: "q", label: "Search", type: "search" }) }),
            ToolbarGroup({ end: true, children: Button({ label: "Go" }) }),
          ],
        }),
        Toolbar({ label: "Actions", children: ToolbarGroup({ children: "x" }) }),
      ],
    ],
    [
      "DescriptionList",
      () =>
        DescriptionList({
          label: "Details",
          items: [
            { term: "A", detail: "x" },
            { term: "B", detail: null },
          ],
        }),
    ],
    [
      "LogList",
      () =>
        LogList({
          label: "Logs",
          children: [...logLevels, "WARN", "FATAL", "unknown"].map((level) =>
            LogLine({ time: "2025-01-01T00:00:00Z", service: "codex", level, message: "m", context: "{}" }),
          ),
        }),
    ],
    [
      "BarChart",
      () => [
        BarChart({
          title: "B",
          unit: "h",
          data: [
            { label: "a", value: 1 },
            { label: "b", value: -2 },
          ],
        }),
        BarChart({ title: "E", data: [] }),
      ],
    ],
    [
      "BarChart dense",
      () =>
        BarChart({
          title: "B",
          data: Array.from({ length: 60 }, (_, i) => ({ label: `Label number ${i}`, value: i * 1000 })),
        }),
    ],
    [
      "LineChart",
      () => [
        LineChart({
          title: "L",
          unit: "tickets",
          series: Array.from({ length: 7 }, (_, s) => ({
            name: `S${s}`,
            points: [
              { x: "w1", y: s },
              { x: "w2", y: s * 2 },
            ],
          })),
        }),
        LineChart({
          title: "Dense",
          series: [{ name: "A", points: Array.from({ length: 50 }, (_, i) => ({ x: `d${i}`, y: i })) }],
        }),
        LineChart({ title: "E", series: [] }),
      ],
    ],
    [
      "Sparkline",
      () => [
        Sparkline({ values: [1, 3, 2], label: "CPU", unit: "%" }),
        Sparkline({ values: [4], label: "One" }),
        Sparkline({ values: [], label: "None" }),
      ],
    ],
    ["ErrorPage", () => ErrorPage({ status: 404, message: "Nope" })],
  ];

  for (const [name, make] of cases) {
    test(name, async () => {
      const made = make();
      // A hono/jsx node renders through toString(), a promise for async components.
      const parts = (Array.isArray(made) ? made : [made]) as { toString(): string | Promise<string> }[];
      const html = (await Promise.all(parts.map((node) => node.toString()))).join("");
      expect(html).toContain('class="');
      assertClassesDefined(html, name);
    });
  }

  test("the cases cover every component lib/ui exports", async () => {
    const ui = await import("../../../lib/src/ui/index.tsx");
    const covered = new Set(cases.map(([name]) => name.split(" ")[0]));
    const containers = new Set(["FormActions", "Cell", "StatGrid", "ToolbarGroup", "LogLine"]);
    const missing = Object.entries(ui)
      .filter(([, v]) => typeof v === "function")
      .map(([k]) => k)
      .filter((k) => !covered.has(k) && !containers.has(k));
    expect(missing).toEqual([]);
  });
});
