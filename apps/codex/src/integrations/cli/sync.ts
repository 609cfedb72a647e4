/**
 * `bun run sync <psa|tickets|tickets-full|rmm|agents> [--follow]` and
 * `bun run sync status <job-id> [--follow]`: start or follow a Codex sync from a terminal.
 * Syncs run inside Codex; this talks to Codex's sync routes on loopback (its address from the
 * service registry) with an admin JWT from `bun run token` (or HIVEMATRIX_TOKEN), and prints
 * the run's progress (pages, requests, items written, waits) until it ends.
 */
import { parseArgs } from "node:util";
import { loadPlatformConfig, runMain } from "@hivematrix/lib/config";
import { codexApi, CodexUnavailable } from "./codex-api.ts";
import { runSyncCommand, USAGE } from "./sync-command.ts";
import { tokenSource } from "./token-source.ts";

await runMain(async () => {
  const parsed = (() => {
    try {
      return parseArgs({ options: { follow: { type: "boolean" } }, allowPositionals: true });
    } catch {
      console.error(USAGE);
      return process.exit(2);
    }
  })();
  const codex = loadPlatformConfig().services.codex;
  if (!codex) throw new Error("services.json has no codex entry: Codex is not part of this installation");
  try {
    const code = await runSyncCommand({
      args: parsed.positionals,
      follow: parsed.values.follow ?? false,
      api: codexApi(codex.url, tokenSource(process.env)),
      print: (line) => console.log(line),
      sleep: (ms) => Bun.sleep(ms),
      pollMs: 2_000,
    });
    process.exit(code);
  } catch (e) {
    if (!(e instanceof CodexUnavailable)) throw e;
    console.error(e.message);
    process.exit(1);
  }
});
