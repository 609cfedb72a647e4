// Web streams as this code uses them: the DOM and Bun type declarations disagree about async
// iteration and compression streams, so the few conversions live here, typed once.

/** The chunks of a web stream, in order; leaving the loop early cancels the stream. */
export async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** A web stream that pulls from an async iterable (a Node or streamx readable) as it is read. */
export function streamFrom(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

export const gzip = () => new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>;
export const gunzip = () => new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>;

/** The chunks of a file on disk. */
export const fileChunks = (path: string) => chunksOf(Bun.file(path).stream() as ReadableStream<Uint8Array>);
