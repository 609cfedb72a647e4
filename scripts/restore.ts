/**
 * `bun run restore FILE [--dry-run] [--key KEYFILE]`: puts an archive of `bun run backup` back
 * into a stopped install, after verifying all of it (README "Backup and restore").
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { installLayout, loadBackupSettings, OperationRefused, runRestore } from "@hivematrix/lib/backup";
import { loadPlatformConfig } from "@hivematrix/lib/config";
import { parsed, runCommand, UsageError } from "./ops/cli.ts";
import { progressLine } from "./ops/progress.ts";
import { controlSocketPath, supervisorAnswers } from "./supervisor/control-socket.ts";

const USAGE = "bun run restore FILE [--dry-run] [--key KEYFILE]";

await runCommand("restore", async () => {
  const { values, positionals } = parsed(
    () =>
      parseArgs({
        options: { "dry-run": { type: "boolean", default: false }, key: { type: "string" } },
        strict: true,
        allowPositionals: true,
      }),
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError(`name one backup file\nusage: ${USAGE}`);
  const config = loadPlatformConfig();
  const settings = loadBackupSettings(config);
  const dryRun = values["dry-run"];
  // Looking changes nothing, so a backup can be checked while the platform runs; restoring cannot.
  if (!dryRun && (await supervisorAnswers(config.home)))
    throw new OperationRefused(
      `HiveMatrix is running (its supervisor answers on ${controlSocketPath(config.home)}): stop it first ` +
        "(Ctrl-C where `bun run start` runs, or `sudo systemctl stop hivematrix`), then restore",
    );
  const progress = progressLine();
  const outcome = await runRestore({
    file: resolve(positionals[0]!),
    layout: installLayout(config, process.env),
    settings,
    ...(values.key ? { keyFile: resolve(values.key) } : {}),
    dryRun,
    onProgress: (done, total) => progress.bytes("verifying", done, total),
    onPlan: (lines) => {
      progress.done();
      console.log(lines.join("\n"));
    },
  }).catch((e) => {
    progress.clear();
    throw e;
  });
  if (!outcome.applied) {
    console.log("Dry run: nothing was changed.");
    return;
  }
  const kept = [
    ...(outcome.keptHome ? [outcome.keptHome] : []),
    ...outcome.keptDatabases.map((d) => `the database ${d}`),
  ];
  const keptNote = kept.length
    ? ` What the restore replaced is kept as ${kept.join(", ")}: delete it once you are satisfied.`
    : "";
  console.log(`Restored. Start HiveMatrix with \`bun run start\`.${keptNote}`);
});
