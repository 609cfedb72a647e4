import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { eq } from "drizzle-orm";
import type { PermissionLevel } from "@hivematrix/lib/config";
import type { CodexUnderTest, TokenOptions } from "./harness.ts";

/** A 1×1 PNG: what a screenshot's first bytes look like to a sniffer. */
export const PNG = Uint8Array.from(
  Buffer.from(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8ffff3f0005fe02fe" +
      "a7d6a4a90000000049454e44ae426082",
    "hex",
  ),
);

/** A page that runs script: the kind of file a sniffing browser would render if it were ever served inline. */
export const HTML = new TextEncoder().encode("<!doctype html><html><body><script>alert(document.cookie)</script>");

/** Uploads `bytes` to a ticket through the API (the body is the file); `chunked` sends it without a length. */
export async function uploadFile(
  codex: CodexUnderTest,
  level: PermissionLevel | "service",
  ticketId: number | string,
  bytes: Uint8Array<ArrayBuffer>,
  o: { filename?: string; headers?: Record<string, string>; token?: TokenOptions; chunked?: boolean } = {},
): Promise<Response> {
  const query = o.filename === undefined ? "" : `?filename=${encodeURIComponent(o.filename)}`;
  const body = o.chunked
    ? new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.slice(at, at + 64 * 1024));
          controller.close();
        },
      })
    : bytes;
  return codex.app.fetch(
    new Request(`http://codex.test/api/tickets/${ticketId}/attachments${query}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await codex.token(level, o.token)}`,
        "content-type": "application/octet-stream",
        ...o.headers,
      },
      body,
    }),
  );
}

/** Posts a page's form as a browser does (multipart, the CSRF token first), with files under `attachments`. */
export async function postForm(
  codex: CodexUnderTest,
  level: PermissionLevel,
  path: string,
  fields: Record<string, string>,
  files: { name: string; bytes: Uint8Array<ArrayBuffer>; type?: string }[] = [],
  o: { csrf?: boolean } = {},
): Promise<Response> {
  const form = new FormData();
  if (o.csrf !== false) form.append("_csrf", await codex.csrf(level));
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files)
    form.append("attachments", new Blob([file.bytes], { type: file.type ?? "application/octet-stream" }), file.name);
  return codex.app.fetch(
    new Request(`http://codex.test${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${await codex.token(level)}`, accept: "text/html" },
      body: form,
      redirect: "manual",
    }),
  );
}

/** Every file under the attachment store, relative to it (uploads in flight included). */
export function storedFiles(codex: CodexUnderTest): string[] {
  const root = codex.deps.attachments.dir;
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}

/** The id of the fixture's ticket with this subject. */
export async function ticketId(codex: CodexUnderTest, subject: string): Promise<number> {
  const tickets = codex.deps.db.t.tickets;
  const [row] = await codex.deps.db.db.select().from(tickets).where(eq(tickets.subject, subject));
  return row!.id;
}
