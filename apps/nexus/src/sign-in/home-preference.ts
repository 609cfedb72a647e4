import type { PermissionLevel, ServiceEntry } from "@hivematrix/lib/config";
import type { Logger } from "@hivematrix/lib/log";
import { mayOpen } from "../access.ts";

/** Codex keeps each person's preferences (DESIGN.md: agents and their settings live there). */
const PREFERENCES_SERVICE = "codex";
const PREFERENCES_PATH = "/api/my/settings";
/** Sign-in waits this long for the preference at most; without it the person lands on home. */
const TIMEOUT_MS = 2_000;

/**
 * Where a person who just signed in to go to `/` lands: the app they chose as their home
 * page (Codex's `home_page`), if it is registered, shown on the home page and theirs to open;
 * otherwise home. Asked only right after sign-in, so `/` itself always shows home. Anything
 * going wrong (Codex down or slow, no preference, a client user Codex does not answer for)
 * means home: a preference never stands in the way of signing in.
 */
export function createHomePreference(services: ServiceEntry[], logger: Logger) {
  const source = services.find((s) => s.name === PREFERENCES_SERVICE);
  return async (token: string, level: PermissionLevel): Promise<string> => {
    if (!source) return "/";
    let chosen: unknown;
    try {
      const res = await fetch(source.url + PREFERENCES_PATH, {
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!res.ok) {
        await res.body?.cancel();
        return "/";
      }
      chosen = ((await res.json()) as { home_page?: unknown }).home_page;
    } catch (e) {
      logger.warn("could not read the home-page preference; showing home", { error: (e as Error).message });
      return "/";
    }
    const app = services.find((s) => s.name === chosen && s.visible && mayOpen(level, s.permission));
    return app ? `/${app.name}/` : "/";
  };
}

export type HomePreference = ReturnType<typeof createHomePreference>;
