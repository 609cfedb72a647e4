import { expect, test } from "bun:test";
import { compressingStream } from "../src/compression/codecs.ts";

test("a reader that goes away mid-stream (the browser closed the tab) ends the compression, never the process", async () => {
  const errors: unknown[] = [];
  const onError = (error: unknown) => errors.push(error);
  process.on("uncaughtException", onError);
  try {
    for (const encoding of ["zstd", "br", "gzip"] as const) {
      let produce!: ReadableStreamDefaultController<Uint8Array>;
      const source = new ReadableStream<Uint8Array>({ start: (controller) => void (produce = controller) });
      const reader = source.pipeThrough(compressingStream(encoding)).getReader();
      const chunk = () => crypto.getRandomValues(new Uint8Array(64 * 1024));
      produce.enqueue(chunk());
      await Bun.sleep(50);
      expect((await reader.read()).done).toBe(false);
      await reader.cancel();
      // The app keeps sending for a while: the compressor's output has nowhere to go.
      for (let i = 0; i < 8; i++) {
        try {
          produce.enqueue(chunk());
        } catch {
          // The pipe already stopped taking input: also fine.
        }
        await Bun.sleep(30);
      }
    }
    expect(errors).toEqual([]);
  } finally {
    process.off("uncaughtException", onError);
  }
});
