/**
 * What compression saves and costs through Nexus: bytes on the wire for a Codex list page and
 * its JSON list in each coding, and req/s with and without it (wrk sends Accept-Encoding as
 * Chrome does, and counts the compressed bytes it receives).
 */
import { fmt, wrk } from "./_wrk.ts";

export interface CompressionTarget {
  name: string;
  url: string;
  headers: Record<string, string>;
}

/** What Chrome sends; Nexus answers it with zstd. */
const BROWSER = "gzip, deflate, br, zstd";
const CODINGS = ["identity", "zstd", "br", "gzip"] as const;

async function bodyBytes(url: string, headers: Record<string, string>, coding: string) {
  const res = await fetch(url, { headers: { ...headers, "accept-encoding": coding }, decompress: false });
  const body = (await res.arrayBuffer()).byteLength;
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const sentCoding = res.headers.get("content-encoding") ?? "identity";
  if (sentCoding !== coding) throw new Error(`${url} asked for ${coding} came back as ${sentCoding}`);
  return body;
}

/** Prints the table; returns its lines for the summary. */
export async function benchCompression(targets: CompressionTarget[], seconds: number, pids: number[]) {
  const lines = [
    "what                    identity B     zstd B     br B   gzip B   req/s plain  req/s zstd  cost   cpu µs/req plain → zstd",
  ];
  console.log(`\nCompression through Nexus (body bytes per response; wrk -c10 for ${seconds} s each way)`);
  console.log(lines[0]);
  for (const t of targets) {
    const sizes: number[] = [];
    for (const coding of CODINGS) sizes.push(await bodyBytes(t.url, t.headers, coding));
    const plain = await wrk(t.url, 10, seconds, { ...t.headers, "accept-encoding": "identity" }, pids);
    const zipped = await wrk(t.url, 10, seconds, { ...t.headers, "accept-encoding": BROWSER }, pids);
    const line =
      `${t.name.padEnd(22)} ${sizes.map((s) => String(s).padStart(9)).join("")}` +
      `   ${fmt(plain.rps, 0).padStart(10)}  ${fmt(zipped.rps, 0).padStart(10)}  ${`${fmt((1 - zipped.rps / plain.rps) * 100, 0)}%`.padStart(5)}` +
      `   ${fmt(plain.cpuUs, 0)} → ${fmt(zipped.cpuUs, 0)}`;
    console.log(line);
    lines.push(line);
  }
  return lines;
}
