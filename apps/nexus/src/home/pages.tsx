import { z } from "zod";
import { pageRoute, type RouteTable } from "@hivematrix/lib/route-table";
import { formBody } from "@hivematrix/lib/validate";
import { mayOpen, NEXUS_ACCESS } from "../access.ts";
import type { Deps } from "../deps.ts";
import { infoOf } from "../proxy/request-info.ts";
import { clearCookie, serializeCookie, THEME_COOKIE } from "../sessions/cookies.ts";
import { safeTarget } from "../sign-in/targets.ts";
import { themeOf } from "../stylesheet/theme.ts";
import { HomePage } from "./views.tsx";

const themeForm = z.object({
  theme: z.enum(["auto", "light", "dark"]),
  back: z.string().max(2048).optional(),
});

/** The home page (tiles for the apps this person may open, their account) and the theme toggle. */
export function homePages(routes: RouteTable, deps: Pick<Deps, "services">) {
  const services = [...deps.services.values()];

  routes.page(pageRoute({ method: "get", path: "/", access: NEXUS_ACCESS.signedIn }), (c) => {
    const level = c.get("page")!.level;
    const tiles = services.filter((s) => s.visible && mayOpen(level, s.permission));
    return c.render(<HomePage tiles={tiles} theme={themeOf(c.req.header("cookie") ?? null)} />, { title: "Home" });
  });

  routes.page(pageRoute({ method: "post", path: "/theme", access: NEXUS_ACCESS.signedIn }), async (c) => {
    const form = await formBody(c, themeForm);
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
