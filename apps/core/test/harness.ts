import type { AppConfig } from "@hivematrix/lib/config";
import { createLogger } from "@hivematrix/lib/log";
import { freePort, tempHome, writeServicesFile, type RegistryEntry } from "@hivematrix/lib/testing";
import { createCoreApp } from "../src/app.ts";
import { buildDeps, type Deps, loadSettings } from "../src/deps.ts";

export interface CoreUnderTest {
  url: string;
  home: string;
  config: AppConfig;
  deps: Deps;
  app: ReturnType<typeof createCoreApp>;
  /** Everything Core logged, one JSON record per line. */
  logs: string[];
  stop(): Promise<void>;
}

/** Core in this process on a free port, with its own HIVEMATRIX_HOME and services.json. */
export async function startCore(
  o: {
    home?: string;
    services?: Record<string, RegistryEntry>;
    env?: Record<string, string>;
    sessionTtlMs?: number;
    secretRecheckMs?: number;
  } = {},
): Promise<CoreUnderTest> {
  const home = o.home ?? tempHome();
  const port = await freePort();
  const servicesFile = writeServicesFile(home, { core: { port, visible: false }, ...o.services });
  const env = { HIVEMATRIX_HOME: home, HIVEMATRIX_SERVICES: servicesFile, ...o.env };
  const settings = loadSettings(env);
  const { config } = settings;
  const logs: string[] = [];
  const logger = createLogger({ service: "core", level: "debug", write: (l) => logs.push(l) });
  const deps = await buildDeps(
    {
      ...settings,
      sessionTtlMs: o.sessionTtlMs ?? 3_600_000,
      purgeIntervalMs: 60_000,
      secretRecheckMs: o.secretRecheckMs ?? 5_000,
    },
    { logger },
  );
  await deps.db.whenReady;
  const app = createCoreApp(deps);
  const server = Bun.serve({ hostname: "127.0.0.1", port, fetch: app.fetch });
  return {
    url: `http://127.0.0.1:${port}`,
    home,
    config,
    deps,
    app,
    logs,
    async stop() {
      await server.stop(true);
      await deps.db.close();
    },
  };
}

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}
