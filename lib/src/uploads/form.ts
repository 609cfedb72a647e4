import { once } from "node:events";
import { rm } from "node:fs/promises";
import busboy from "busboy";
import type { Context } from "hono";
import { HttpError, validationFailed } from "../errors.tsx";
import { discardUpload, temporaryPath, writeChunks } from "./files.ts";
import { FORM_ALLOWANCE, megabytes, type ReceivedUpload, requestCap, type UploadRule } from "./rules.ts";

const FORM_TYPE = /^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i;

/** Checks a form's CSRF token (lib/csrf's verify for this request); throws when it is wrong or missing. */
export type CsrfCheck = (token: string | undefined) => void;

/**
 * A page's form (multipart or urlencoded) read as it streams in: text fields kept, each file
 * written to a temporary file. A file over the rule's size, or beyond its count, is left out and
 * named in the answer (the page says so next to the field); a body past the whole request's cap
 * is refused (413). With `csrf`, the token must come before any file (lib/ui's Form puts it
 * first) or in the X-CSRF-Token header: a form without it is refused and nothing is kept.
 */
export async function receiveForm(c: Context, rule: UploadRule, csrf?: CsrfCheck): Promise<ReceivedUpload> {
  const upload: ReceivedUpload = { fields: {}, files: [], tooLarge: [], tooMany: false };
  const header = c.req.header("x-csrf-token");
  let verified = csrf === undefined;
  if (csrf && header) {
    csrf(header);
    verified = true;
  }
  const type = c.req.header("content-type") ?? "";
  const body = c.req.raw.body;
  try {
    if (body && FORM_TYPE.test(type))
      await parse(
        body,
        type,
        rule,
        upload,
        () => verified,
        (token) => {
          csrf?.(token);
          verified = true;
        },
      );
    if (!verified) csrf!(undefined);
    return upload;
  } catch (e) {
    await discardUpload(upload);
    throw e;
  }
}

async function parse(
  body: ReadableStream<Uint8Array>,
  type: string,
  rule: UploadRule,
  upload: ReceivedUpload,
  isVerified: () => boolean,
  verify: (token: string) => void,
): Promise<void> {
  const parser = busboy({
    headers: { "content-type": type },
    defParamCharset: "utf8",
    limits: { fileSize: rule.maxFileBytes, files: rule.maxFiles, fields: 200, fieldSize: FORM_ALLOWANCE },
  });
  const writes: Promise<void>[] = [];
  let problem: unknown = null;
  parser.on("field", (name, value, info) => {
    if (info.valueTruncated) problem ??= new HttpError(413, "payload_too_large", `The field "${name}" is too long.`);
    else if (name.includes("\u0000") || value.includes("\u0000"))
      problem ??= validationFailed([{ field: name, message: "Text may not contain NUL characters." }]);
    else if (name !== "_csrf") upload.fields[name] = value;
    else
      try {
        verify(value);
      } catch (e) {
        problem ??= e;
      }
  });
  parser.on("file", (field, stream, info) => {
    const filename = info.filename ?? "";
    // No file chosen (an empty file input), or one sent before the form proved where it came from.
    if (!filename || !isVerified() || problem) {
      stream.resume();
      return;
    }
    const path = temporaryPath(rule.dir);
    writes.push(
      writeChunks(stream, path, rule.maxFileBytes).then((written) => {
        if (written && !stream.truncated) upload.files.push({ field, filename, path, ...written });
        else {
          upload.tooLarge.push(filename);
          return rm(path, { force: true });
        }
      }),
    );
  });
  parser.on("filesLimit", () => {
    upload.tooMany = true;
  });
  const finished = new Promise<void>((resolve, reject) => {
    parser.on("close", resolve);
    parser.on("error", (e) =>
      reject(new HttpError(400, "bad_request", `The form could not be read: ${(e as Error).message}`)),
    );
  });
  finished.catch(() => {});
  const cap = requestCap(rule);
  let total = 0;
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > cap)
        throw new HttpError(413, "payload_too_large", `The form is larger than ${megabytes(cap)}.`, { max_bytes: cap });
      if (!parser.write(chunk)) await Promise.race([once(parser, "drain"), finished]);
    }
    parser.end();
    await finished;
    await Promise.all(writes);
  } catch (e) {
    // The file being written stops with the parser, and removes what it wrote.
    parser.destroy();
    await Promise.allSettled(writes);
    throw e;
  }
  if (problem) throw problem;
}
