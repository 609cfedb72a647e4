import { appendFileSync, existsSync, renameSync, rmSync, statSync } from "node:fs";

export interface LogFileLimits {
  /** A file that would grow beyond this is rotated first. */
  maxBytes: number;
  /** Rotated files kept (`<name>.log.1` newest … `<name>.log.<keep>` oldest). */
  keep: number;
}

/**
 * Appends whole lines to `path`, rotating by size: `x.log` becomes `x.log.1`, `.1` becomes `.2`
 * and so on up to `keep`; older ones are deleted. Writes are synchronous, like the terminal's,
 * so a supervisor killed at any moment has lost nothing it printed.
 */
export function rotatingLogFile(path: string, limits: LogFileLimits) {
  let size = existsSync(path) ? statSync(path).size : 0;
  const rotate = () => {
    if (limits.keep > 0) {
      rmSync(`${path}.${limits.keep}`, { force: true });
      for (let i = limits.keep - 1; i >= 1; i--)
        if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
      renameSync(path, `${path}.1`);
    } else rmSync(path, { force: true });
    size = 0;
  };
  return {
    write(line: string) {
      const text = `${line}\n`;
      const bytes = Buffer.byteLength(text);
      if (size > 0 && size + bytes > limits.maxBytes) rotate();
      appendFileSync(path, text);
      size += bytes;
    },
  };
}
