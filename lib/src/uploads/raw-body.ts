import type { Context } from "hono";
import { HttpError } from "../errors.tsx";
import { temporaryPath, writeChunks } from "./files.ts";
import { megabytes, type ReceivedUpload, type UploadRule } from "./rules.ts";

const NO_BODY: AsyncIterable<Uint8Array> = { async *[Symbol.asyncIterator]() {} };

/**
 * An upload route's raw body (an API client's `--data-binary @file`) written to a temporary
 * file as it streams in. Over the rule's size: 413, and nothing is left behind.
 */
export async function receiveRawBody(c: Context, rule: UploadRule): Promise<ReceivedUpload> {
  const path = temporaryPath(rule.dir);
  const body = (c.req.raw.body as AsyncIterable<Uint8Array> | null) ?? NO_BODY;
  const written = await writeChunks(body, path, rule.maxFileBytes);
  if (!written)
    throw new HttpError(413, "payload_too_large", `The file is larger than ${megabytes(rule.maxFileBytes)}.`, {
      max_bytes: rule.maxFileBytes,
    });
  return { fields: {}, files: [{ field: "file", filename: "", path, ...written }], tooLarge: [], tooMany: false };
}
