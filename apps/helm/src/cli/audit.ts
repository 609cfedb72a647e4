/**
 * `bun run audit [--json] [--firewall ufw|iptables]`: Helm's security audit in a terminal.
 * Exits 1 when anything of high severity is found, so it can gate a deployment.
 * --firewall prints the generated firewall script instead.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadBackupSettings } from "@hivematrix/lib/backup";
import { appConfigFrom, loadPlatformConfig, type PlatformConfig, runMain } from "@hivematrix/lib/config";
import { type BackupEvidence, backupEvidence } from "../backups/evidence.ts";
import { openHelmDb } from "../deps.ts";
import { runAudit } from "../security/audit.ts";
import { firewallPlan, firewallScript } from "../security/firewall.ts";
import type { Severity } from "../security/json.ts";
import { paint, table, type Colour } from "./term.ts";

const SEVERITY_COLOUR: Record<Severity, Colour> = { high: "red", medium: "yellow", low: "cyan", info: "gray" };
const VERDICT_COLOUR = { loopback: "green", public: "cyan", exposed: "red", "not running": "gray" } as const;

/** Backups as the backup folder shows them, with Helm's records when its database is at hand (why one failed). */
async function backups(config: PlatformConfig): Promise<BackupEvidence> {
  const folder = loadBackupSettings(config).dir;
  if (!config.services.helm) return backupEvidence(folder, null);
  const helm = appConfigFrom(config, "helm");
  if (!helm.databaseUrl && !existsSync(helm.sqlitePath)) return backupEvidence(folder, null);
  try {
    const db = await openHelmDb(helm);
    try {
      return await backupEvidence(folder, db);
    } finally {
      await db.close();
    }
  } catch {
    return backupEvidence(folder, null);
  }
}

await runMain(async () => {
  const { values } = parseArgs({
    strict: true,
    options: { json: { type: "boolean", default: false }, firewall: { type: "string" } },
  });
  const config = loadPlatformConfig();
  if (values.firewall !== undefined) {
    if (values.firewall !== "ufw" && values.firewall !== "iptables") {
      console.error("--firewall is ufw or iptables");
      process.exit(2);
    }
    process.stdout.write(firewallScript(values.firewall, firewallPlan(config, process.env)));
    return;
  }
  const report = await runAudit({ config, env: process.env, backups: await backups(config) });
  const high = report.findings.filter((f) => f.severity === "high").length;
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    process.exit(high ? 1 : 0);
  }
  console.log(paint("bold", "Listening addresses"));
  console.log(
    table([
      ["SERVICE", "PORT", "CONFIGURED", "LISTENING ON", "VERDICT"].map((h) => paint("bold", h)),
      ...report.bindings.map((b) => [
        b.service,
        String(b.port),
        b.configured,
        b.listening.join(", ") || "—",
        paint(VERDICT_COLOUR[b.verdict], b.verdict),
      ]),
    ]),
  );
  console.log("");
  console.log(paint("bold", `Findings (${report.findings.length})`));
  for (const f of report.findings) {
    console.log(`${paint(SEVERITY_COLOUR[f.severity], f.severity.toUpperCase().padEnd(6))} ${f.title}`);
    console.log(`       ${paint("gray", f.detail)}`);
    console.log(`       fix: ${f.fix}`);
  }
  if (report.findings.length === 0) console.log(paint("green", "No problems found."));
  console.log("");
  console.log(
    high
      ? paint("red", `${high} high-severity finding${high === 1 ? "" : "s"}.`)
      : paint("green", "No high-severity findings."),
  );
  console.log(`Firewall script: bun run audit --firewall ufw   (or iptables)`);
  process.exit(high ? 1 : 0);
});
