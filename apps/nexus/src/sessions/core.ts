import { decodeJwt } from "jose";
import type { PermissionLevel } from "@hivematrix/lib/config";
import { failoverFetch } from "@hivematrix/lib/instances";
import type { Logger } from "@hivematrix/lib/log";

export type Exchanged =
  | { token: string; expiresAt: number; level: PermissionLevel }
  | { error: string; status: 403 | 502 | 503 };

/** Trades the identity provider's access token for a HiveMatrix JWT backed by a new session at Core. */
export async function exchangeAtCore(
  coreUrls: readonly string[],
  accessToken: string,
  clientIp: string,
  userAgent: string,
): Promise<Exchanged> {
  let res: Response;
  try {
    // A Core instance that refuses the connection never saw the exchange: another is asked.
    res = await failoverFetch(coreUrls)(`${coreUrls[0]}/api/token/exchange`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        access_token: accessToken,
        client_ip: clientIp.slice(0, 100),
        user_agent: userAgent.slice(0, 1000),
      }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return { error: "The identity service (Core) cannot be reached. Try again in a moment.", status: 503 };
  }
  const body = (await res.json().catch(() => null)) as {
    token?: string;
    expires_at?: string;
    error?: { message?: string };
  } | null;
  if (!res.ok || !body?.token || !body.expires_at) {
    const message = body?.error?.message ?? `Core answered ${res.status}.`;
    return { error: `Your sign-in could not be completed: ${message}`, status: res.status === 403 ? 403 : 502 };
  }
  return { token: body.token, expiresAt: Date.parse(body.expires_at) / 1000, level: levelOf(body.token) };
}

/** Ends the session behind `token` at Core; a failure is logged (the session then lapses when it expires). */
export async function revokeAtCore(coreUrls: readonly string[], token: string, logger: Logger): Promise<void> {
  try {
    const res = await failoverFetch(coreUrls, { idempotent: true })(`${coreUrls[0]}/api/token/revoke`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!res.ok && res.status !== 404)
      logger.error("Core refused to revoke a session at sign-out", { status: res.status });
  } catch (e) {
    logger.error("Core unreachable at sign-out; the session stays valid until it expires", { error: e });
  }
}

/** The permission level in a token Core just issued to Nexus itself (trusted here; verified on every use). */
function levelOf(token: string): PermissionLevel {
  return (decodeJwt(token) as { permission_level: PermissionLevel }).permission_level;
}
