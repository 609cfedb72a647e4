import type { Server } from "bun";
import { createLogger } from "@hivematrix/lib/log";
import {
  type Caller,
  type RegistryEntry,
  type TestIdentity,
  tempHome,
  testIdentity,
  writeServicesFile,
} from "@hivematrix/lib/testing";
import { createNexus, type Nexus } from "../src/app.ts";
import { buildDeps, type Deps, loadSettings } from "../src/deps.ts";

export const NEXUS_ORIGIN = "http://127.0.0.1:18000";

/** What Bun's server tells Nexus about a request: here, a plain-HTTP caller on loopback. */
const loopbackServer = {
  protocol: "http",
  requestIP: () => ({ address: "127.0.0.1", family: "IPv4", port: 40000 }),
  upgrade: () => false,
} as unknown as Server<unknown>;

export interface NexusInProcess {
  identity: TestIdentity;
  deps: Deps;
  nexus: Nexus;
  /** A request through Nexus's front door, as `caller` (a bearer token) or nobody; asks for JSON unless told. */
  send(caller: Caller | null, method: string, path: string, init?: RequestInit): Promise<Response>;
}

/**
 * Nexus in the test's own process, its front door called directly: tokens are the test's own
 * (lib/testing's testIdentity), and `apps` are registered in services.json but never called.
 */
export async function nexusInProcess(apps: Record<string, RegistryEntry> = {}): Promise<NexusInProcess> {
  const identity = await testIdentity("nexus");
  const home = tempHome("hm-nexus-");
  const env = {
    HIVEMATRIX_HOME: home,
    HIVEMATRIX_SERVICES: writeServicesFile(home, {
      core: { port: 1, visible: false },
      nexus: { port: Number(new URL(NEXUS_ORIGIN).port), visible: false },
      ...apps,
    }),
    NEXUS_PUBLIC_URL: NEXUS_ORIGIN,
  };
  const logger = createLogger({ service: "nexus", level: "error", write: () => {} });
  const deps = buildDeps(loadSettings(env), { logger, auth: identity.auth, csrf: identity.csrf });
  const nexus = createNexus(deps);
  const send = async (caller: Caller | null, method: string, path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has("accept")) headers.set("accept", "application/json");
    if (caller) headers.set("authorization", `Bearer ${await identity.token(caller)}`);
    const req = new Request(`${NEXUS_ORIGIN}${path}`, { ...init, method, headers, redirect: "manual" });
    return (await nexus.fetch(req, loopbackServer))!;
  };
  return { identity, deps, nexus, send };
}
