import { rmSync } from "node:fs";
import { join } from "node:path";
import { createLogger } from "@hivematrix/lib/log";
import {
  type Caller,
  tempHome,
  type TestIdentity,
  testIdentity,
  withPostgres,
  writeServicesFile,
} from "@hivematrix/lib/testing";
import { createHelmApp, type HelmApp } from "../src/app.ts";
import { buildDeps, type Deps, loadSettings } from "../src/deps.ts";

export interface InProcessHelm {
  app: HelmApp;
  deps: Deps;
  home: string;
  /** Where backups go and their key (both outside the home, as lib's settings demand). */
  backupDir: string;
  backupKey: string;
  identity: TestIdentity;
  /** A request as `caller` (a bearer token; JSON unless `init` says otherwise). */
  send(caller: Caller | null, method: string, path: string, init?: RequestInit): Promise<Response>;
  /** A page's form posted by an admin, with the session's CSRF token. */
  post(path: string, fields?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Helm in this process (SQLite, or PostgreSQL when asked and a server is configured), with tokens
 * of the test's own key; no supervisor, identity provider or other app runs. Core's entry points
 * at a dead port: what needs it answers 503.
 */
export async function inProcessHelm(
  o: { engine?: "sqlite" | "postgres"; env?: Record<string, string> } = {},
): Promise<InProcessHelm> {
  const identity = await testIdentity("helm");
  const home = tempHome("hm-helm-ops-");
  const outside = tempHome("hm-helm-ops-backups-");
  const backupDir = join(outside, "backups");
  const backupKey = join(outside, "key", "backup-key.txt");
  const pg = o.engine === "postgres" ? await withPostgres("hm_helm_ops") : null;
  const env = {
    HIVEMATRIX_HOME: home,
    HIVEMATRIX_SERVICES: writeServicesFile(home, {
      core: { port: 1, visible: false },
      helm: { port: 2, permission: "admin" },
      nexus: { port: 3, visible: false },
    }),
    KEYCLOAK_URL: "http://127.0.0.1:1",
    HIVEMATRIX_BACKUP_DIR: backupDir,
    HIVEMATRIX_BACKUP_KEY: backupKey,
    ...(pg ? { HELM_DATABASE_URL: pg.url } : {}),
    ...o.env,
  };
  const logger = createLogger({ service: "helm", level: "error", write: () => {} });
  const deps = buildDeps(loadSettings(env), { logger, auth: identity.auth, csrf: identity.csrf });
  await deps.db.whenReady;
  const app = createHelmApp(deps);

  const send = async (caller: Caller | null, method: string, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has("accept")) headers.set("accept", "application/json");
    if (caller) headers.set("authorization", `Bearer ${await identity.token(caller)}`);
    return app.fetch(new Request(`http://helm.test${path}`, { ...init, method, headers }));
  };
  const post = async (path: string, fields: Record<string, string> = {}) =>
    send("admin", "POST", path, {
      headers: { accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: await identity.csrfFor("admin"), ...fields }),
    });
  return {
    app,
    deps,
    home,
    backupDir,
    backupKey,
    identity,
    send,
    post,
    async stop() {
      await deps.backups.runner.idle();
      deps.backups.scheduler.stop();
      await deps.db.close();
      await pg?.drop();
      rmSync(home, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    },
  };
}
