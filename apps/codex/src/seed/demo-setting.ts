import { ConfigError, type PlatformConfig } from "@hivematrix/lib/config";

/** Whether a fresh database gets the demo MSP on its first start, and why (for the log). */
export interface DemoSetting {
  enabled: boolean;
  reason: string;
}

type Env = Record<string, string | undefined>;

/**
 * CODEX_DEMO_DATA (`true` or `false`; `bun run start --no-demo` sets `false`), read once at
 * start-up. Demo data is for development only: production never gets it, and asking for it
 * there is a configuration error rather than something silently ignored.
 */
export function loadDemoSetting(config: Pick<PlatformConfig, "env">, env: Env = process.env): DemoSetting {
  const raw = env.CODEX_DEMO_DATA;
  if (raw !== undefined && raw !== "" && raw !== "true" && raw !== "false")
    throw new ConfigError(`CODEX_DEMO_DATA must be true or false (got ${JSON.stringify(raw)})`);
  if (config.env === "production") {
    if (raw === "true")
      throw new ConfigError(
        "CODEX_DEMO_DATA=true is not allowed with HIVEMATRIX_ENV=production: demo data is for development",
      );
    return { enabled: false, reason: "HIVEMATRIX_ENV=production" };
  }
  return raw === "false"
    ? { enabled: false, reason: "CODEX_DEMO_DATA=false (bun run start --no-demo)" }
    : { enabled: true, reason: "development" };
}
