import type { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "@hivematrix/lib/app";
import type { ServiceEntry } from "@hivematrix/lib/config";
import type { Csrf } from "@hivematrix/lib/csrf";
import { formBody } from "@hivematrix/lib/validate";
import { clearCookie, readCookie, serializeCookie, THEME_COOKIE } from "../cookies.ts";
import type { Theme } from "../inject.ts";
import type { Oidc } from "../oidc.ts";
import { mayOpen } from "../proxy.ts";
import type { Sessions } from "../sessions.ts";
import { safeTarget } from "../targets.ts";
import { HomePage } from "../views/home-page.tsx";
import { infoOf } from "./context.ts";
import { pageSession, sameOrigin } from "./session-pages.tsx";

export function themeOf(cookieHeader: string | null): Theme | null {
  const v = readCookie(cookieHeader, THEME_COOKIE);
  return v === "light" || v === "dark" ? v : null;
}

const themeSchema = z.object({
  theme: z.enum(["auto", "light", "dark"]),
  back: z.string().max(2048).optional(),
});

/** The home page (tiles for the apps this user may open, the user menu) and the theme toggle. */
export function homeRoutes(
  app: Hono<AppEnv>,
  deps: { services: ServiceEntry[]; sessions: Sessions; oidc: Oidc; csrf: Csrf },
) {
  const signedIn = pageSession(deps.sessions, deps.oidc);

  app.get("/", signedIn, (c) => {
    const user = c.get("user")!;
    const tiles = deps.services.filter((s) => s.visible && mayOpen(user.permission_level, s.permission));
    return c.html(
      <HomePage
        user={user}
        services={tiles}
        csrf={deps.csrf.token(c)}
        theme={themeOf(c.req.header("cookie") ?? null)}
      />,
    );
  });

  app.post("/theme", sameOrigin, signedIn, deps.csrf.protect, async (c) => {
    const form = await formBody(c, themeSchema);
    const back = safeTarget(form.ok ? form.data.back : "/");
    if (!form.ok) return c.redirect(back, 303);
    const { secure } = infoOf(c);
    // Readable only by Nexus (HttpOnly): it sets data-theme on <html> as pages stream through.
    c.header(
      "Set-Cookie",
      form.data.theme === "auto"
        ? clearCookie(THEME_COOKIE, secure)
        : serializeCookie(THEME_COOKIE, form.data.theme, { maxAge: 400 * 86_400, secure }),
    );
    return c.redirect(back, 303);
  });
}
