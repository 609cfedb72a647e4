import { createAppShell } from "@hivematrix/lib/app-shell";
import type { Deps } from "./deps.ts";
import { keysApi } from "./keys/api.ts";
import { CoreLayout } from "./layout.tsx";
import { serviceTokensApi } from "./service-tokens/api.ts";
import { sessionsApi } from "./sessions/api.ts";
import { sessionsPages } from "./sessions/pages.tsx";
import { tokensApi } from "./tokens/api.ts";

/** Core: identity for the platform — signing keys, user and service tokens, sessions. */
export function createCoreApp(deps: Deps) {
  const { app, routes } = createAppShell({
    service: "core",
    title: "HiveMatrix Core",
    description: "Identity for the platform: signing keys, HiveMatrix JWTs for people and services, sessions.",
    deps,
    layout: CoreLayout,
    maxBodyBytes: 64 * 1024,
    db: deps.db,
    health: async () => ({ keys: (await deps.keys.jwks()).keys.length }),
  });
  keysApi(routes, deps);
  tokensApi(routes, deps);
  serviceTokensApi(routes, deps);
  sessionsApi(routes, deps);
  sessionsPages(routes, deps);
  return Object.assign(app, { routes });
}

export type CoreApp = ReturnType<typeof createCoreApp>;
