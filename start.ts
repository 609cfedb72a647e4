/**
 * `bun run start` runs this file: package.json has no "start" script, so Bun runs `start.ts` in
 * its own process instead of spawning a script beside a `bun run` process that would only wait
 * (10 MB for nothing). The supervisor is scripts/start.ts; the systemd unit runs it directly.
 */
import "./scripts/start.ts";
