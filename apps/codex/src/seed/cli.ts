/**
 * `bun run seed [--scale demo|large] [--reset]`: fills Codex's database (SQLite under
 * HIVEMATRIX_HOME, or CODEX_DATABASE_URL) with demo data. Refuses a database that has data
 * unless --reset, which first deletes every row, and refuses production altogether.
 */
import { parseArgs } from "node:util";
import { loadAppConfig, runMain } from "@hivematrix/lib/config";
import { openCodexDb, type CodexDb } from "../deps.ts";
import { isEmpty, seed } from "./seed.ts";

const TABLES = [
  "audit_log",
  "billing_runs",
  "manual_assets",
  "manual_users",
  "accepted_bills",
  "line_items",
  "contact_billing_overrides",
  "asset_billing_overrides",
  "company_billing_overrides",
  "company_feature_overrides",
  "plan_features",
  "feature_options",
  "feature_categories",
  "ticket_time_entries",
  "ticket_entries",
  "tickets",
  "asset_contacts",
  "assets",
  "contact_companies",
  "contacts",
  "locations",
  "rmm_site_links",
  "companies",
  "billing_plans",
  "agents",
  "sync_jobs",
];

async function wipe(h: CodexDb) {
  for (const t of TABLES) {
    if (h.engine === "sqlite") h.sqlite!.exec(`DELETE FROM ${t}`);
    else await h.pg!.unsafe(`TRUNCATE ${t} RESTART IDENTITY CASCADE`);
  }
}

await runMain(async () => {
  const { values } = parseArgs({
    options: { scale: { type: "string", default: "demo" }, reset: { type: "boolean", default: false } },
    strict: true,
  });
  if (values.scale !== "demo" && values.scale !== "large") {
    console.error("--scale must be demo or large");
    process.exit(2);
  }
  const config = loadAppConfig("codex");
  if (config.env === "production") {
    console.error(
      "HIVEMATRIX_ENV=production: demo data is for development and is never added to a production database.",
    );
    process.exit(1);
  }
  // Seeding a large scale or truncating one runs statements far longer than a request may.
  const h = await openCodexDb({ ...config, databaseTimeouts: { ...config.databaseTimeouts, statementMs: 0 } });
  try {
    if (!(await isEmpty(h))) {
      if (!values.reset) {
        console.error(
          `The Codex database (${config.databaseUrl ? "CODEX_DATABASE_URL" : config.sqlitePath}) already has data. Run with --reset to delete it all first.`,
        );
        process.exit(1);
      }
      await wipe(h);
    }
    const s = await seed(h, values.scale);
    console.log(
      `seeded ${s.scale}: ${s.companies} companies, ${s.contacts} contacts, ${s.assets} assets, ${s.tickets} tickets in ${(s.ms / 1000).toFixed(1)} s`,
    );
  } finally {
    await h.close();
  }
});
