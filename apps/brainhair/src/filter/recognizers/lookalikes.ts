/**
 * Things shaped like identifiers that IT work needs and that identify no one: KB and CVE numbers,
 * versions and builds, error codes, remote-support ids, tracking numbers, service tags, serials,
 * MAC addresses. They become keep spans: a weaker, unlabelled guess over them is dropped, while a
 * labelled identifier (score above theirs) still wins.
 */
import type { KeepSpan } from "../candidates.ts";
import { B_END, B_START } from "../context.ts";

const PATTERNS: [RegExp, number][] = [
  [/\bKB\d{6,8}\b/g, 90],
  [/\bCVE-\d{4}-\d{4,7}\b/gi, 90],
  [/\b0x[0-9a-f]{4,16}\b/gi, 90],
  [/\b\d{2}H[12]\b/g, 90], // Windows feature updates: 22H2, 23H2
  [/(?<!\d\.)\b\d{4,5}\.\d{2,5}\b(?!\.\d)/g, 80], // Windows builds: 22631.3447, not a date's 1962.01(.05)
  [
    new RegExp(`${B_START}(?:v|ver\\.?|version|build|firmware|fw|release|rev\\.?)\\s*\\d+(?:[._]\\d+)+${B_END}`, "giu"),
    80,
  ],
  [/\b(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}\b/gi, 90], // MAC addresses
  // Remote-support ids, tracking numbers, service tags and serials, after their label.
  [
    new RegExp(
      `${B_START}(?:anydesk|teamviewer|splashtop|screenconnect|rustdesk)(?:\\s*(?:id|#|:))*\\s*[\\d ]{6,14}\\d${B_END}`,
      "giu",
    ),
    78,
  ],
  [/\btracking(?:\s*(?:#|number|no\.?|:))*\s*[A-Z0-9](?:[A-Z0-9 -]{6,34}[A-Z0-9])\b/gi, 78],
  [/\b(?:service\s+tag|asset\s+tag|serial(?:\s+number)?|s\/n|sn)\s*[:#]?\s*[A-Z0-9][A-Z0-9-]{3,24}\b/gi, 78],
  [/\b(?:ticket|incident|inc|req|sr|rma|order|invoice|po)\s*(?:#|number|no\.?|:)?\s*#?[A-Z0-9-]*\d[A-Z0-9-]*\b/gi, 52],
  [/#\d{3,}\b/g, 52], // ticket references: #33102
  // Host and asset names (CPA-NG01, MHMG-LT-0310): below any labelled id that shares their shape.
  [/\b[A-Z]{2,}[A-Z0-9]*-[A-Z0-9]+(?:-[A-Z0-9]+)*\b/g, 50],
  [/(?:\\\\|[A-Za-z]:\\)[^\s"']+/g, 80], // UNC and Windows paths
  [/\b(?:[a-z0-9-]+\.)+(?:local|lan|internal|corp|com|net|org|gov|us|io|nl)\b(?!@)/gi, 50], // hostnames
];

export function lookalikes(text: string): KeepSpan[] {
  const out: KeepSpan[] = [];
  for (const [re, score] of PATTERNS) {
    for (const m of text.matchAll(re)) out.push({ start: m.index, end: m.index + m[0].length, score });
  }
  return out;
}
