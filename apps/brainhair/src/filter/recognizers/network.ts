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

/** Words after which an address is an address, whatever their case ("Server 10.0.0.5", "Gateway 10.1.1.1"). */
const IP_WORDS = new Set([
  "ip",
  "ips",
  "ipv4",
  "address",
  "addr",
  "host",
  "server",
  "gateway",
  "gw",
  "dns",
  "dhcp",
  "router",
  "firewall",
  "subnet",
  "peer",
  "wan",
  "lan",
  "vlan",
  "uplink",
  "static",
  "public",
  "private",
  "source",
  "src",
  "destination",
  "dst",
  "dest",
  "from",
  "to",
  "at",
  "on",
  "via",
  "ping",
  "pinged",
  "is",
  "was",
  "and",
  "or",
  "of",
  "node",
  "nas",
  "printer",
  "camera",
  "modem",
  "switch",
  "ap",
  "endpoint",
  "interface",
  "target",
  "remote",
  "local",
  "client",
  "device",
]);
/** Words after which a dotted quad is a code, not an address: "error 10.1.5.1". */
const CODE_WORDS = new Set(["error", "err", "code", "status", "exception", "fault", "event"]);
const WORD_BEFORE = /(?:([\p{L}&][\p{L}\p{N}&+-]*) )?([\p{L}][\p{L}\p{N}&+-]*)[ ]{1,2}$/u;

/**
 * A dotted quad right after a product's name or an error word is a version or a code ("HP Sure
 * Click 4.4.3.22", "Veeam Backup & Replication 12.1.2.172", "error 10.1.5.1"): the word before it
 * is capitalised and no network word, or an error word.
 */
function versionAfterName(text: string, at: number): boolean {
  const m = WORD_BEFORE.exec(text.slice(Math.max(0, at - 40), at));
  if (!m) return false;
  const word = m[2]!;
  const lower = word.toLowerCase();
  if (CODE_WORDS.has(lower)) return true;
  if (IP_WORDS.has(lower) || /\d/.test(word) || word.includes("-")) return false;
  // A name of two or more capitalised words ("Sure Click", "Backup & Replication"), not one word
  // that may open a sentence ("Workstation 10.5.2.60").
  const prev = m[1];
  return /^\p{Lu}\p{Ll}/u.test(word) && prev !== undefined && (prev === "&" || /^\p{Lu}/u.test(prev));
}

export function ipv4s(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const m of text.matchAll(IPV4)) {
    if (/^0\./.test(m[0]) || /[vV]$/.test(text.slice(Math.max(0, m.index - 1), m.index))) continue;
    if (precededBy(text, m.index, VERSION_WORDS, 3) || versionAfterName(text, m.index)) continue;
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
