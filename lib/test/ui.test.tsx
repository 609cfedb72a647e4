import { describe, expect, test } from "bun:test";
import {
  BarChart,
  Button,
  DescriptionList,
  Field,
  Form,
  Layout,
  LineChart,
  LogLine,
  Modal,
  Sparkline,
  Tabs,
  Toolbar,
} from "../src/ui/index.tsx";
import { niceScale, labelLayout, truncate } from "../src/ui/chart-scale.ts";

const html = async (node: unknown) => await (node as { toString(): string | Promise<string> }).toString();
const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe("Field", () => {
  test("an error marks the control invalid and points it at the message", async () => {
    const out = await html(
      <Field name="email" label="Email" type="email" hint="Work address" error="Enter a valid email address." />,
    );
    expect(out).toContain('class="field field--invalid"');
    expect(out).toContain('aria-invalid="true"');
    expect(out).toContain('aria-describedby="field-email-hint field-email-error"');
    expect(out).toMatch(
      /<p class="field__error" id="field-email-error" role="alert">Enter a valid email address\.<\/p>/,
    );
    expect(out).toContain('<label class="field__label" for="field-email">');
    expect(out).toContain('id="field-email"');
  });

  test("without an error there is no invalid state and no dangling reference", async () => {
    const out = await html(<Field name="name" label="Name" value="Ada" />);
    expect(out).not.toContain("aria-invalid");
    expect(out).not.toContain("aria-describedby");
    expect(out).toContain('value="Ada"');
  });

  test("a checkbox with an error keeps its checkbox layout", async () => {
    const out = await html(<Field name="agree" label="I agree" type="checkbox" value={true} error="Required." />);
    expect(out).toContain('class="field field--checkbox field--invalid"');
    expect(out).toContain("checked");
  });

  test("password values are never echoed back", async () => {
    const out = await html(<Field name="password" label="Password" type="password" value="hunter2" />);
    expect(out).not.toContain("hunter2");
  });

  test("select marks the current option", async () => {
    const out = await html(
      <Field
        name="plan"
        label="Plan"
        type="select"
        value="b"
        options={[
          { value: "a", label: "A" },
          { value: "b", label: "B" },
        ]}
      />,
    );
    expect(out).toMatch(/<option value="b" selected="">B<\/option>|<option value="b" selected>B<\/option>/);
    expect(out).not.toMatch(/<option value="a" selected/);
  });
});

describe("Form", () => {
  test("carries the CSRF token as a hidden _csrf field", async () => {
    const out = await html(
      <Form action="/x" csrf={'tok"en'}>
        body
      </Form>,
    );
    expect(out).toContain('<input type="hidden" name="_csrf" value="tok&quot;en"/>');
    expect(out).toContain('method="post"');
  });

  test("GET forms without a token have no hidden field", async () => {
    const out = await html(
      <Form action="/search" method="get" inline>
        q
      </Form>,
    );
    expect(out).not.toContain("_csrf");
    expect(out).toContain('class="form form--inline"');
  });
});

describe("Layout", () => {
  test("is a whole HTML5 document with a title and a skip link to main", async () => {
    const out = await html(
      <Layout title="Companies" app="Codex" nav={[{ href: "/codex/", label: "Home", current: true }]}>
        hi
      </Layout>,
    );
    expect(out.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(out).toContain("<title>Companies · Codex</title>");
    expect(out).toContain('<html lang="en">');
    expect(out).toContain('href="#main"');
    expect(out).toContain('id="main"');
    expect(out).toContain('aria-current="page"');
  });

  test("escapes the title", async () => {
    const out = await html(<Layout title="<b>x</b>">hi</Layout>);
    expect(out).toContain("<title>&lt;b&gt;x&lt;/b&gt; · HiveMatrix</title>");
  });

  test("reloads itself only when asked (wall displays)", async () => {
    expect(
      await html(
        <Layout title="Board" refreshSeconds={60}>
          hi
        </Layout>,
      ),
    ).toContain('<meta http-equiv="refresh" content="60"/>');
    expect(await html(<Layout title="Board">hi</Layout>)).not.toContain("refresh");
  });

  test("links back to the platform's home only when the app says it is behind Nexus", async () => {
    const behind = await html(
      <Layout title="Tickets" app="Codex" home="/codex/" platformHome="/">
        hi
      </Layout>,
    );
    expect(behind).toContain('<a class="layout__platform" href="/" aria-label="HiveMatrix home">HiveMatrix</a>');
    expect(
      await html(
        <Layout title="Tickets" app="Codex" home="/">
          hi
        </Layout>,
      ),
    ).not.toContain("layout__platform");
  });
});

describe("small components", () => {
  test("a disabled link button cannot be followed", async () => {
    const out = await html(<Button label="Export" href="/export" disabled />);
    expect(out).not.toContain("href=");
    expect(out).toContain('aria-disabled="true"');
  });

  test("Modal is labelled by its title and hidden until targeted or opened", async () => {
    const out = await html(
      <Modal id="add-location" title="Add location">
        form
      </Modal>,
    );
    expect(out).toContain('aria-labelledby="add-location-title"');
    expect(out).toContain('id="add-location-title"');
    expect(out).toContain('class="modal"');
    expect(out).not.toContain("modal__footer");
    const open = await html(
      <Modal id="m" title="T" open closeHref="/codex/companies" footer={<Button label="Save" />}>
        x
      </Modal>,
    );
    expect(open).toContain('class="modal modal--open"');
    expect(open).toContain('href="/codex/companies"');
    expect(open).toContain('<footer class="modal__footer">');
  });

  test("Tabs mark the current tab for assistive tech", async () => {
    const out = await html(
      <Tabs
        label="Billing"
        tabs={[
          { href: "/plans", label: "Plans", current: true },
          { href: "/features", label: "Features" },
        ]}
      />,
    );
    expect(count(out, 'aria-current="page"')).toBe(1);
    expect(out).toContain('class="tabs__tab tabs__tab--current"');
  });

  test("a Toolbar with an action is a GET filter form", async () => {
    const out = await html(
      <Toolbar label="Filter" action="/tickets">
        x
      </Toolbar>,
    );
    expect(out).toMatch(/^<form class="toolbar" method="get" action="\/tickets"/);
  });

  test("DescriptionList shows a dash for missing details", async () => {
    const out = await html(
      <DescriptionList
        items={[
          { term: "Plan", detail: "Gold" },
          { term: "Domain", detail: null },
        ]}
      />,
    );
    expect(out).toContain('<dd class="description-list__detail">Gold</dd>');
    expect(out).toContain('<dd class="description-list__detail">—</dd>');
  });

  test("LogLine maps lib/log's level names onto the level classes", async () => {
    expect(await html(<LogLine time="t" service="codex" level="WARNING" message="m" />)).toContain("log-line--warning");
    expect(await html(<LogLine time="t" service="codex" level="warn" message="m" />)).toContain("log-line--warning");
    expect(await html(<LogLine time="t" service="codex" level="CRITICAL" message="<x>" />)).toContain("&lt;x&gt;");
  });
});

describe("BarChart", () => {
  const data = [
    { label: "Acme <script>alert(1)</script>", value: 12 },
    { label: "Globex", value: 7.5 },
    { label: "Initech", value: 0 },
  ];

  test("draws one bar per datum with an accessible name and a data table", async () => {
    const out = await html(<BarChart title="Open tickets by company" data={data} unit="tickets" />);
    expect(count(out, 'class="chart__bar"')).toBe(3);
    expect(out).toContain('role="img" aria-label="Open tickets by company"');
    expect(out).toContain("<title>Open tickets by company</title>");
    expect(out).toContain('<table class="chart__table">');
    expect(count(out, '<th scope="row">')).toBe(3);
    expect(out).toContain("Value (tickets)");
  });

  test("escapes labels everywhere they appear", async () => {
    const out = await html(<BarChart title="t" data={data} />);
    expect(out).not.toContain("<script>");
    expect(out).toContain("&lt;script&gt;");
  });

  test("bars are proportional to their values", async () => {
    const out = await html(
      <BarChart
        title="t"
        data={[
          { label: "a", value: 10 },
          { label: "b", value: 5 },
        ]}
      />,
    );
    const heights = [...out.matchAll(/class="chart__bar"[^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(2);
    expect(heights[0]! / heights[1]!).toBeCloseTo(2, 5);
  });

  test("empty or non-numeric data renders the empty state, not an SVG", async () => {
    for (const d of [[], [{ label: "x", value: Number.NaN }]]) {
      const out = await html(<BarChart title="Nothing" data={d} emptyMessage="No tickets this week." />);
      expect(out).not.toContain("<svg");
      expect(out).toContain('class="empty-state"');
      expect(out).toContain("No tickets this week.");
    }
  });
});

describe("LineChart", () => {
  const series = [
    {
      name: "Opened",
      points: [
        { x: "W1", y: 4 },
        { x: "W2", y: 6 },
        { x: "W3", y: 5 },
      ],
    },
    {
      name: "Closed",
      points: [
        { x: "W1", y: 3 },
        { x: "W3", y: 7 },
      ],
    },
  ];

  test("draws one line per series with a legend and series classes", async () => {
    const out = await html(<LineChart title="Tickets opened vs closed" series={series} />);
    expect(count(out, '<path class="chart__line"')).toBe(2);
    expect(count(out, 'class="chart__legend-item"')).toBe(2);
    expect(out).toContain('<g class="chart__series chart__series--1">');
    expect(out).toContain('<g class="chart__series chart__series--2">');
    expect(count(out, 'class="chart__point"')).toBe(5);
  });

  test("a missing point breaks the line instead of inventing a value", async () => {
    const out = await html(<LineChart title="t" series={series} />);
    const closed =
      /<g class="chart__series chart__series--2"><path class="chart__line" d="([^"]+)"/.exec(out)?.[1] ?? "";
    expect(count(closed, "M")).toBe(2);
    expect(count(closed, "L")).toBe(0);
    expect(out).toContain("<td>—</td>");
  });

  test("series colours repeat after six", async () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ name: `S${i}`, points: [{ x: "a", y: i }] }));
    const out = await html(<LineChart title="t" series={many} />);
    expect(count(out, "chart__series--1")).toBe(4);
  });

  test("no points renders the empty state", async () => {
    const out = await html(<LineChart title="t" series={[{ name: "A", points: [] }]} />);
    expect(out).not.toContain("<svg");
    expect(out).toContain('class="empty-state"');
  });
});

describe("Sparkline", () => {
  test("is a small scalable SVG with a summary for screen readers", async () => {
    const out = await html(<Sparkline values={[1, 4, 2, 8]} label="Requests/min" />);
    expect(out).toContain('class="chart chart--sparkline"');
    expect(out).toContain('viewBox="0 0 100 24"');
    expect(out).toContain('aria-label="Requests/min: latest 8, low 1, high 8"');
    expect(count(/d="([^"]+)"/.exec(out)?.[1] ?? "", "L")).toBe(3);
  });

  test("no values renders text, not a broken SVG", async () => {
    const out = await html(<Sparkline values={[]} label="CPU" />);
    expect(out).not.toContain("<svg");
    expect(out).toContain("CPU: no data");
  });
});

describe("chart scale", () => {
  test("ticks are round numbers covering zero and the data", () => {
    expect(niceScale(0, 87).ticks).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceScale(-3, 12).ticks).toEqual([-5, 0, 5, 10, 15]);
    expect(niceScale(0, 0.3).ticks).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceScale(0, 0).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  test("dense labels are thinned rather than cut, and never overlap", () => {
    const dates = Array.from({ length: 30 }, (_, i) => `2025-01-${String(i + 1).padStart(2, "0")}`);
    const { step, chars } = labelLayout(dates, 560, 7);
    expect(step).toBeGreaterThan(1);
    expect(chars).toBeGreaterThanOrEqual(10);
    expect((chars + 1) * 7).toBeLessThanOrEqual((560 / 30) * step);
    const names = labelLayout(["Globex Corporation International", "Initech"], 560, 7);
    expect(names).toEqual({ step: 1, chars: 39 });
    expect(
      labelLayout(
        Array.from({ length: 200 }, () => "A very long company name"),
        560,
        7,
      ).chars,
    ).toBe(14);
    expect(truncate("Wednesday", 4)).toBe("Wed…");
    expect(truncate("Wed", 4)).toBe("Wed");
  });
});
