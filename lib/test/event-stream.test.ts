import { expect, test } from "bun:test";
import { Hono } from "hono";
import { endEventStreams, eventStream } from "../src/event-stream.ts";

test("a stopping server's event streams end, so its graceful stop does not wait for readers", async () => {
  let ended = false;
  const app = new Hono().get("/feed", (c) =>
    eventStream(c, async (stream) => {
      let closed = false;
      stream.onAbort(() => {
        closed = true;
      });
      await stream.writeSSE({ event: "ready", data: "" });
      while (!closed) await Bun.sleep(20);
      ended = true;
    }),
  );
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
  const res = await fetch(`http://127.0.0.1:${server.port}/feed`);
  const reader = res.body!.getReader();
  expect(new TextDecoder().decode((await reader.read()).value)).toContain("event: ready");

  const stopped = server.stop();
  const waited = await Promise.race([stopped.then(() => "stopped"), Bun.sleep(300).then(() => "still waiting")]);
  expect(waited).toBe("still waiting");

  endEventStreams();
  expect(await Promise.race([stopped.then(() => "stopped"), Bun.sleep(2_000).then(() => "still waiting")])).toBe(
    "stopped",
  );
  await Bun.sleep(100);
  expect(ended).toBe(true);
  expect((await reader.read()).done).toBe(true);
});
