import { describe, expect, test } from "bun:test";
import type { LogRecord } from "../src/log.ts";
import {
  createLogShipper,
  INGEST_LIMITS,
  shipperSettings,
  toShippedLine,
  type SendOutcome,
  type ShippedLine,
} from "../src/log-shipper.ts";

const record = (message: string, extra: Record<string, unknown> = {}): LogRecord => ({
  timestamp: new Date().toISOString(),
  level: "INFO",
  service: "codex",
  message,
  ...extra,
});

/** A collector that answers what `outcome()` says and keeps what it accepted. */
function collector(outcome: () => SendOutcome | Promise<SendOutcome> = () => "sent") {
  const received: ShippedLine[][] = [];
  const reports: { message: string; fields: Record<string, unknown> }[] = [];
  const shipper = createLogShipper({
    bufferLines: 10_000,
    flushIntervalMs: 20,
    batchLines: 1_000,
    minBackoffMs: 20,
    maxBackoffMs: 80,
    async send(lines) {
      const o = await outcome();
      if (o === "sent") received.push(lines);
      return o;
    },
    report: (_level, message, fields) => {
      reports.push({ message, fields });
      shipper.sink(record(message, fields));
    },
    note: () => {},
  });
  return { shipper, received, reports, lines: () => received.flat() };
}

async function until(check: () => boolean, ms = 5_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await Bun.sleep(10);
  }
}

describe("log shipper", () => {
  test("turns a record into an ingest line: no service, limits applied, extras under context", () => {
    const line = toShippedLine(
      record("x".repeat(20_000), { request_id: "abc-1", user: "alice", path: "/a", big: "y".repeat(20_000) }),
    );
    expect(line.message.length).toBe(INGEST_LIMITS.messageChars);
    expect(line).not.toHaveProperty("service");
    expect(line.request_id).toBe("abc-1");
    expect(line.user).toBe("alice");
    expect(line.context).toMatchObject({ truncated: true });
    expect(toShippedLine(record("m", { request_id: "<bad id>", n: 1 }))).toEqual({
      timestamp: expect.any(String),
      level: "INFO",
      message: "m",
      context: { n: 1 },
    });
  });

  test("a NUL character ships as U+FFFD wherever it was, and a written-out \\u0000 stays as it is", () => {
    const line = toShippedLine(
      record("read\u0000failed", {
        user: "al\u0000ice",
        bytes: "ab\u0000",
        "k\u0000": ["\u0000"],
        path: "C:\\u0000dir",
      }),
    );
    expect(line.message).toBe("read\uFFFDfailed");
    expect(line.user).toBe("al\uFFFDice");
    expect(line.context).toEqual({ bytes: "ab\uFFFD", "k\uFFFD": ["\uFFFD"], path: "C:\\u0000dir" });
  });

  test("sends in batches and never makes the caller wait", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const c = collector(async (): Promise<SendOutcome> => {
      await gate;
      return "sent";
    });
    const started = performance.now();
    for (let i = 0; i < 2_500; i++) c.shipper.sink(record(`line ${i}`));
    expect(performance.now() - started).toBeLessThan(1_000);
    release();
    await until(() => c.lines().length === 2_500);
    expect(c.received.map((b) => b.length)).toEqual([1_000, 1_000, 500]);
    expect(
      c
        .lines()
        .map((l) => l.message)
        .slice(0, 2),
    ).toEqual(["line 0", "line 1"]);
    c.shipper.stop();
  });

  test("keeps lines while the collector is down and delivers them all, in order, when it is back", async () => {
    let up = false;
    const c = collector(() => (up ? "sent" : "retry"));
    for (let i = 0; i < 300; i++) c.shipper.sink(record(`while down ${i}`));
    await Bun.sleep(200);
    expect(c.lines()).toHaveLength(0);
    expect(c.shipper.stats().buffered).toBe(300);
    up = true;
    await until(() => c.lines().length === 300);
    expect(c.lines().map((l) => l.message)).toEqual(Array.from({ length: 300 }, (_, i) => `while down ${i}`));
    expect(c.shipper.stats()).toMatchObject({ dropped: 0, buffered: 0 });
    expect(c.reports).toEqual([]);
    c.shipper.stop();
  });

  test("beyond its bound drops the oldest lines and reports how many once sending works again", async () => {
    let up = false;
    const received: ShippedLine[] = [];
    const shipper = createLogShipper({
      bufferLines: 10,
      flushIntervalMs: 20,
      batchLines: 1_000,
      minBackoffMs: 20,
      maxBackoffMs: 40,
      async send(lines) {
        if (!up) return "retry";
        received.push(...lines);
        return "sent";
      },
      report: (_level, message, fields) => shipper.sink(record(message, fields)),
      note: () => {},
    });
    for (let i = 0; i < 25; i++) shipper.sink(record(`n${i}`));
    up = true;
    await until(() => received.some((l) => l.message.includes("dropped")));
    expect(received.slice(0, 10).map((l) => l.message)).toEqual(Array.from({ length: 10 }, (_, i) => `n${i + 15}`));
    const report = received.find((l) => l.message.includes("dropped"))!;
    expect(report.context).toMatchObject({ dropped: 15, dropped_total: 15, buffer_lines: 10 });
    shipper.stop();
  });

  test("a batch the collector refuses is dropped, not retried forever", async () => {
    const c = collector(() => "rejected");
    c.shipper.sink(record("refused"));
    await until(() => c.shipper.stats().rejected === 1);
    expect(c.shipper.stats().buffered).toBe(0);
    c.shipper.stop();
  });

  test("flush sends what is buffered, and gives up after its timeout while the collector is down", async () => {
    const up = collector();
    up.shipper.sink(record("last words"));
    up.shipper.stop();
    const downs = collector(() => "retry");
    downs.shipper.sink(record("unheard"));
    downs.shipper.stop();
    const started = performance.now();
    await Promise.all([up.shipper.flush(1_000), downs.shipper.flush(300)]);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(up.lines().map((l) => l.message)).toEqual(["last words"]);
    expect(downs.lines()).toEqual([]);
  });

  test("settings come from the environment, checked", () => {
    expect(shipperSettings({})).toMatchObject({ bufferLines: 10_000, flushIntervalMs: 1_000 });
    expect(shipperSettings({ HIVEMATRIX_LOG_BUFFER_LINES: "50", HIVEMATRIX_LOG_FLUSH_MS: "200" })).toMatchObject({
      bufferLines: 50,
      flushIntervalMs: 200,
    });
    expect(() => shipperSettings({ HIVEMATRIX_LOG_BUFFER_LINES: "lots" })).toThrow("HIVEMATRIX_LOG_BUFFER_LINES");
  });
});
