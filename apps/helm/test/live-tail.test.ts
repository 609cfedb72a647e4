import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestPlatform } from "@hivematrix/lib/testing";
import { assertClassesDefined } from "@hivematrix/lib/testing/design-system";
import { bearer, eventually, line, serviceClient, shipLines, startHelmPlatform } from "./harness.ts";

/** Helm's live tail: server-sent events of every line as it is stored, resumed where a reader left off. */
let platform: TestPlatform;
let admin: string;
let probe: ReturnType<typeof serviceClient>;

beforeAll(async () => {
  platform = await startHelmPlatform({ callers: ["probe"] });
  admin = await platform.token("admin");
  probe = serviceClient(platform, "probe");
}, 90_000);

afterAll(async () => {
  await platform?.stop();
});

const ingest = (body: unknown, init?: RequestInit) => shipLines(probe, body, init);

describe("the live tail", () => {
  test("the live tail streams a newly shipped line", async () => {
    const page = await fetch(`${platform.urls.helm}/logs/tail?service=probe`, { headers: bearer(admin) });
    const html = await page.text();
    assertClassesDefined(html, "live tail page");
    // The stream starts after the newest line the page shows (0 when it shows none).
    expect(html).toMatch(/data-stream="\/logs\/stream\?service=probe&amp;after_id=\d+"/);
    const script = await fetch(`${platform.urls.helm}/static/live-tail.js`);
    expect(await script.text()).not.toContain("innerHTML");

    const abort = new AbortController();
    const stream = await fetch(`${platform.urls.helm}/logs/stream?service=probe&level=WARNING`, {
      headers: bearer(admin),
      signal: abort.signal,
    });
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const read = (async () => {
      while (!text.includes("tail me <b>now</b>")) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    })();
    await eventually(async () => text.includes("event: ready"), 10_000, "the stream to open");
    await ingest({ lines: [line("ignored: below the level"), { ...line("tail me <b>now</b>"), level: "WARNING" }] });
    await Promise.race([read, Bun.sleep(10_000)]);
    abort.abort();
    expect(text).toContain("event: log");
    expect(text).toContain("tail me <b>now</b>");
    expect(text).not.toContain("ignored: below the level");
  });

  test("a live tail that reconnects first gets the lines it missed, each once", async () => {
    const open = (headers: Record<string, string> = {}, query = "") => {
      const abort = new AbortController();
      const events: { id: string | null; event: string; data: string }[] = [];
      const done = (async () => {
        const res = await fetch(`${platform.urls.helm}/logs/stream?service=probe&q=resume-${query}`, {
          headers: bearer(admin, headers),
          signal: abort.signal,
        });
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (done) return;
          buffer += decoder.decode(value);
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            const fields = Object.fromEntries(
              buffer
                .slice(0, end)
                .split("\n")
                .filter((l) => !l.startsWith(":"))
                .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]),
            );
            buffer = buffer.slice(end + 2);
            if (fields.event) events.push({ id: fields.id ?? null, event: fields.event, data: fields.data ?? "" });
          }
        }
      })();
      const messages = () =>
        events.filter((e) => e.event === "log").map((e) => (JSON.parse(e.data) as { message: string }).message);
      return {
        events,
        messages,
        close: async () => {
          abort.abort();
          await done;
        },
      };
    };

    const first = open();
    await eventually(async () => first.events.some((e) => e.event === "ready"), 10_000, "the stream to open");
    await ingest({ lines: [line("resume-1")] });
    await eventually(async () => first.messages().includes("resume-1"), 10_000, "the first line");
    const lastId = first.events.find((e) => e.event === "log")!.id!;
    expect(lastId).toMatch(/^\d+$/);
    await first.close();

    await ingest({ lines: [line("resume-2"), line("resume-3")] });
    // What EventSource sends when it reconnects on its own.
    const again = open({ "last-event-id": lastId });
    await eventually(async () => again.messages().includes("resume-3"), 10_000, "the missed lines");
    await ingest({ lines: [line("resume-4")] });
    await eventually(async () => again.messages().includes("resume-4"), 10_000, "a new line after the replay");
    await again.close();
    expect(again.messages()).toEqual(["resume-2", "resume-3", "resume-4"]);
    const ids = again.events.filter((e) => e.event === "log").map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(Number(ids[0])).toBeGreaterThan(Number(lastId));

    // The page's own starting point: everything after the line it showed.
    const fromPage = open({}, `&after_id=${lastId}`);
    await eventually(async () => fromPage.messages().length === 3, 10_000, "the replay from after_id");
    await fromPage.close();
    expect(fromPage.messages()).toEqual(["resume-2", "resume-3", "resume-4"]);

    const bad = await fetch(`${platform.urls.helm}/logs/stream?after_id=-5`, { headers: bearer(admin) });
    expect(bad.status).toBe(422);
  });
});
