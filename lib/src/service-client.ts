import type { ServiceRegistry } from "./config.ts";
import { failoverFetch, type FetchLike } from "./instances.ts";
import type { Logger } from "./log.ts";

export interface ServiceClientOptions {
  /** The calling service (this app). */
  name: string;
  /** This service's secret from HIVEMATRIX_HOME/secrets. */
  secret: string;
  coreUrl: string;
  services: ServiceRegistry;
  /** Renew this long before a token expires. */
  renewBeforeMs?: number;
  /** Told (once, until a token is had again) why Core gave no token: callers often only retry. */
  logger?: Pick<Logger, "error" | "info">;
}

export class ServiceCallError extends Error {
  override name = "ServiceCallError";
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * Service-to-service HTTP: gets a 5-minute token for the target from Core (authenticating with
 * this service's secret), caches it until shortly before it expires, and sends it.
 */
export function createServiceClient(options: ServiceClientOptions) {
  const renewBeforeMs = options.renewBeforeMs ?? 60_000;
  const cache = new Map<string, CachedToken>();
  const pending = new Map<string, Promise<string>>();
  const basic = `Basic ${Buffer.from(`${options.name}:${options.secret}`).toString("base64")}`;
  // Asking Core for a token twice only mints two tokens: a dropped request goes to another instance.
  const toCore = failoverFetch(options.services.core?.instanceUrls ?? [options.coreUrl], { idempotent: true });
  const senders = new Map<string, FetchLike>();
  const senderFor = (target: string, instanceUrls: readonly string[]) => {
    let send = senders.get(target);
    if (!send) senders.set(target, (send = failoverFetch(instanceUrls)));
    return send;
  };

  let failing = false;
  const fail = (message: string): never => {
    if (!failing) options.logger?.error(message, { core: options.coreUrl });
    failing = true;
    throw new ServiceCallError(message);
  };

  async function fetchToken(target: string): Promise<string> {
    let res: Response;
    try {
      res = await toCore(new URL("/service-token", options.coreUrl).toString(), {
        method: "POST",
        headers: { authorization: basic, "content-type": "application/json" },
        body: JSON.stringify({ calling_service: options.name, target_service: target }),
        signal: AbortSignal.timeout(5_000),
      });
    } catch (e) {
      return fail(`Core cannot be reached for a service token (${options.name} → ${target}): ${(e as Error).message}`);
    }
    if (res.status === 401) {
      await res.body?.cancel();
      return fail(
        `Core refused this service's secret (${options.name} → ${target}: 401): secrets/service-${options.name}.secret ` +
          "under HIVEMATRIX_HOME is not the one Core knows. Core reads a changed secret file within seconds; if this " +
          "goes on, check that Core and this app use the same HIVEMATRIX_HOME.",
      );
    }
    if (!res.ok) {
      const text = await res.text().catch(() => "");
      return fail(`Core refused a service token for ${options.name} → ${target}: ${res.status} ${text.slice(0, 300)}`);
    }
    if (failing) options.logger?.info("Core issues service tokens to this service again", { core: options.coreUrl });
    failing = false;
    const { token } = (await res.json()) as { token: string };
    const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { exp: number };
    cache.set(target, { token, expiresAt: payload.exp * 1000 });
    return token;
  }

  async function getServiceToken(target: string): Promise<string> {
    const hit = cache.get(target);
    if (hit && hit.expiresAt - renewBeforeMs > Date.now()) return hit.token;
    // One request to Core per target even when many calls need a token at once.
    let inflight = pending.get(target);
    if (!inflight) {
      inflight = fetchToken(target).finally(() => pending.delete(target));
      pending.set(target, inflight);
    }
    return inflight;
  }

  /** Calls `path` on `target` with a service token; returns the Response as is. */
  async function callService(target: string, path: string, init: RequestInit = {}): Promise<Response> {
    const entry = options.services[target];
    if (!entry) throw new ServiceCallError(`unknown service "${target}" (not in services.json)`);
    if (!path.startsWith("/")) throw new ServiceCallError(`service paths start with "/" (got "${path}")`);
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${await getServiceToken(target)}`);
    if (init.body && typeof init.body === "string" && !headers.has("content-type"))
      headers.set("content-type", "application/json");
    const send = senderFor(target, entry.instanceUrls);
    return send(entry.url + path, { ...init, headers, signal: init.signal ?? AbortSignal.timeout(30_000) });
  }

  return { callService, getServiceToken, forgetTokens: () => cache.clear() };
}

export type ServiceClient = ReturnType<typeof createServiceClient>;
