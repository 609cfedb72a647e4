import { z } from "zod";
import type { AppConfig } from "@hivematrix/lib/config";
import type { ServiceClient } from "@hivematrix/lib/service-client";

const sessionsAnswer = z.object({
  sessions: z.array(z.looseObject({ id: z.string(), user: z.looseObject({ sub: z.string() }) })),
});

/**
 * What user management asks of the rest of the platform, over HTTP with Helm's service token:
 * Codex for a client user's company, Core to end a person's sessions.
 */
export function platformHooks(config: AppConfig, services: Pick<ServiceClient, "callService">) {
  return {
    /** Null when Codex is not part of this platform; throws when it cannot answer. */
    async companyExists(accountNumber: string): Promise<boolean | null> {
      if (!config.services.codex) return null;
      const res = await services.callService("codex", `/api/companies/${encodeURIComponent(accountNumber)}`, {
        signal: AbortSignal.timeout(5_000),
      });
      if (res.status === 404) return false;
      if (!res.ok) throw new Error(`Codex answered ${res.status}`);
      return true;
    },

    /** Revokes every active Core session of this IdP user (sub); how many. */
    async endSessions(sub: string): Promise<number> {
      const res = await services.callService("core", "/api/sessions", { signal: AbortSignal.timeout(5_000) });
      if (!res.ok) throw new Error(`Core answered ${res.status} listing sessions`);
      const parsed = sessionsAnswer.safeParse(await res.json());
      if (!parsed.success) throw new Error("Core's session list has an unexpected shape");
      let ended = 0;
      for (const s of parsed.data.sessions.filter((s) => s.user.sub === sub)) {
        const revoked = await services.callService("core", `/api/sessions/${encodeURIComponent(s.id)}`, {
          method: "DELETE",
          signal: AbortSignal.timeout(5_000),
        });
        if (revoked.ok || revoked.status === 404) ended += revoked.ok ? 1 : 0;
        else throw new Error(`Core answered ${revoked.status} revoking a session`);
      }
      return ended;
    },
  };
}
