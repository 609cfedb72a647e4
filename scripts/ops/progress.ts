import { type BackupProgress, formatBytes as size } from "@hivematrix/lib/backup";

/**
 * Shows a backup's or restore's progress on a terminal: one line rewritten in place (at most 10
 * times a second); without a terminal (a log, systemd) one line per item when it is done.
 */
export function progressLine(out: NodeJS.WriteStream = process.stderr) {
  const live = Boolean(out.isTTY);
  let last = 0;
  let current = "";
  let shown = "";
  const write = (text: string) => {
    if (live) out.write(`\r\x1b[2K${text}`);
    shown = text;
  };
  const settle = () => {
    if (!shown) return;
    if (live) out.write("\n");
    else out.write(`${shown}\n`);
    shown = "";
  };
  return {
    backup(p: BackupProgress) {
      const item = p.phase === "copy" ? p.item : "archive (compress and encrypt)";
      if (item !== current) {
        settle();
        current = item;
      }
      const now = Date.now();
      const complete = p.done >= p.total && p.total > 0;
      if (!complete && now - last < 100) return;
      last = now;
      const percent = p.total ? ` ${Math.min(100, Math.floor((p.done / p.total) * 100))}%` : "";
      if (p.phase === "copy" && p.unit === "tables")
        write(`  ${item}: ${p.done}/${p.total} tables, ${size(p.bytes)}${percent}`);
      else write(`  ${item}: ${size(p.done)} of ${size(p.total)}${percent}`);
    },
    bytes(what: string, done: number, total: number) {
      const now = Date.now();
      if (done < total && now - last < 100) return;
      last = now;
      write(`  ${what}: ${size(done)} of ${size(total)} ${total ? Math.floor((done / total) * 100) : 100}%`);
    },
    done: settle,
    /** Forgets the line in progress (a refusal follows on a line of its own). */
    clear() {
      if (live && shown) out.write("\r\x1b[2K");
      shown = "";
    },
  };
}
