/**
 * `bun run bench brainhair [--rounds 30] [--tools 20]`
 *
 * Core, Codex (demo data), Brainhair and Nexus as real processes, with the fake Messages API in
 * this process as Brainhair's model. Prints:
 * - time to the first streamed byte of an answer through Nexus, minus the fake model's own time
 *   to its first byte (target ≤ 20 ms added);
 * - a read tool's overhead: the gap between the end of the model's tool call and its next
 *   request (Brainhair storing, calling Codex with the person's token, filtering, storing,
 *   asking again), minus Codex's own time for the same GET (target ≤ 10 ms).
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { startPlatform } from "@hivematrix/lib/testing";
import { reply, startFakeAnthropic } from "@hivematrix/lib/testing/fake-anthropic";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "30" }, tools: { type: "string", default: "20" } },
  strict: true,
});
const ROUNDS = Number(values.rounds);
const TOOLS = Number(values.tools);
const MODEL_DELAY_MS = 50;

const median = (xs: number[]) => [...xs].sort((left, right) => left - right)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) =>
  [...xs].sort((left, right) => left - right)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
const ms = (millis: number) => `${millis.toFixed(1)} ms`;

const fake = await startFakeAnthropic();
const platform = await startPlatform({
  apps: {
    codex: { title: "Codex" },
    brainhair: { title: "Brainhair", env: { ANTHROPIC_API_KEY: "sk-ant-test-key", ANTHROPIC_BASE_URL: fake.url } },
    nexus: { title: "Nexus", visible: false },
  },
});
try {
  const nexus = `http://127.0.0.1:${platform.ports.nexus}`;
  const token = await platform.token("technician", { user: "bench" });
  const auth = { authorization: `Bearer ${token}`, accept: "application/json" };
  const json = { ...auth, "content-type": "application/json" };
  const newChat = async () =>
    (
      (await (await fetch(`${nexus}/brainhair/api/chats`, { method: "POST", headers: json, body: "{}" })).json()) as {
        id: string;
      }
    ).id;

  /** Sends a message through Nexus; resolves with the time to the first text event, once the turn is done. */
  const turn = async (chat: string, text: string): Promise<number | null> => {
    const started = performance.now();
    const res = await fetch(`${nexus}/brainhair/api/chats/${chat}/messages`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ text }),
    });
    let first: number | null = null;
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      if (first === null && read.value.includes("event: text")) first = performance.now() - started;
    }
    return first;
  };

  const ticket = (
    (await (await fetch(`${platform.urls.codex}/api/tickets?company=ACME-001&limit=1`, { headers: auth })).json()) as {
      items: { id: number }[];
    }
  ).items[0]!.id;

  // Warm-up: the filter's lexicons load on first use, Codex and Brainhair warm their caches.
  fake.script(reply.tool("get_ticket", { id: ticket }), reply.text("Warm."));
  await turn(await newChat(), "warm up");

  const added: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    fake.script(reply.text("Hello there, this is a streamed answer.", { delayMs: MODEL_DELAY_MS }));
    const first = await turn(await newChat(), `Hello ${round}`);
    const req = fake.requests.at(-1)!;
    added.push(first! - (req.firstByteAt! - req.receivedAt));
  }

  fake.reset();
  fake.script(...Array.from({ length: TOOLS }, () => reply.tool("get_ticket", { id: ticket })), reply.text("Done."));
  await turn(await newChat(), "Read that ticket many times");
  const gaps = fake.requests.slice(1).map((request, index) => request.receivedAt - fake.requests[index]!.doneAt!);
  const direct: number[] = [];
  for (let round = 0; round < TOOLS; round++) {
    const started = performance.now();
    await (await fetch(`${platform.urls.codex}/api/tickets/${ticket}`, { headers: auth })).text();
    direct.push(performance.now() - started);
  }

  // The machine may be shared: the load says how much of these figures is other people's work.
  const load = loadavg()
    .map((latency) => latency.toFixed(2))
    .join(" ");
  console.log(`brainhair bench (${ROUNDS} answers, ${TOOLS} read tool calls in one turn; load average ${load})`);
  console.log(
    `  first streamed byte through Nexus, over the model's own: median ${ms(median(added))}, p95 ${ms(p95(added))}` +
      ` (target ≤ 20 ms added)`,
  );
  console.log(
    `  read tool (get_ticket) between model requests: median ${ms(median(gaps))}, p95 ${ms(p95(gaps))};` +
      ` Codex's own GET: median ${ms(median(direct))}`,
  );
  console.log(
    `  tool-call overhead over Codex's own time: median ${ms(median(gaps) - median(direct))} (target ≤ 10 ms);` +
      ` first call of a turn (reads the company levels too): ${ms(gaps[0]!)}`,
  );
} finally {
  await platform.stop();
  await fake.stop();
}
