/** IPv4 and IPv6 addresses, private ones included; version numbers shaped like IPv4 are left alone. */
import type { Candidate } from "../candidates.ts";
import { precededBy, wordsAfter } from "../context.ts";

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`(?<![\\p{L}\\p{N}.])${OCTET}(?:\\.${OCTET}){3}(?![\\p{L}\\p{N}]|\\.\\d)`, "gu");
const VERSION_WORDS = new Set([
  "version",
  "ver",
  "v",
  "firmware",
  "fw",
  "build",
  "release",
  "bios",
  "driver",
  "agent",
  "update",
  "patch",
  "rev",
  "revision",
  "hotfix",
  "sp",
  "cu",
  "rollup",
  "edition",
  "app",
  "client",
  "package",
  "module",
  "sdk",
]);

export function ipv4s(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(IPV4)) {
    if (/^0\./.test(m[0]) || /[vV]$/.test(text.slice(Math.max(0, m.index - 1), m.index))) continue;
    if (precededBy(text, m.index, VERSION_WORDS, 3)) continue;
    const next = wordsAfter(text, m.index + m[0].length, 1)[0];
    if (next === "version" || next === "release" || next === "build") continue;
    out.push({ type: "IP_ADDRESS", start: m.index, end: m.index + m[0].length, score: 70 });
  }
  return out;
}

const H = "[0-9a-fA-F]{1,4}";
const IPV6_BODY = `(?:(?:${H}:){7}${H}|(?:${H}(?::${H}){0,6})?::(?:${H}(?::${H}){0,6})?)`;
const IPV6 = new RegExp(`(?<![\\p{L}\\p{N}:])${IPV6_BODY}(?:%[\\w.]+)?(?![\\p{L}\\p{N}:])`, "gu");

export function ipv6s(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(IPV6)) {
    const groups = m[0].split(":").filter((g) => g !== "").length;
    // "::" alone, or with one group, is a C++ scope or a typo more often than an address.
    if (groups < 2 && m[0] !== "::1") continue;
    out.push({ type: "IP_ADDRESS", start: m.index, end: m.index + m[0].length, score: 70 });
  }
  return out;
}
