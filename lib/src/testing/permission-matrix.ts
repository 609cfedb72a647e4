import type { Access } from "../access.ts";
import type { ApiRoute, PageRoute } from "../route-table.ts";
import { CALLERS, type Caller } from "./identity.ts";

export interface MatrixRoute {
  method: string;
  path: string;
  access: Access;
  page: boolean;
}

/** Every route of a table, APIs and pages, as the permission matrix walks them. */
export function matrixRoutes(table: { apis: ApiRoute[]; pages: PageRoute[] }): MatrixRoute[] {
  return [
    ...table.apis.map((r) => ({ method: r.method, path: r.path, access: r.access, page: false })),
    ...table.pages.map((r) => ({ method: r.method, path: r.path, access: r.access, page: true })),
  ];
}

/** Whether `caller` should get past a route's guard. */
export function admits(route: MatrixRoute, caller: Caller | null): boolean {
  if (route.access.public) return true;
  if (caller === null) return false;
  if (caller === "service") return route.access.services && !route.page;
  return route.access.levels.includes(caller);
}

/**
 * Calls every route as every caller (and without a token) and lists each answer that
 * contradicts the route's rule: refused (401/403) where it should pass, or passed where it
 * should be refused. A page's form refused only for its missing CSRF token got past the guard.
 * `send` makes the request (asking for JSON); `fill` puts ids into the path's parameters.
 */
export async function permissionMismatches(
  routes: MatrixRoute[],
  send: (caller: Caller | null, method: string, path: string) => Promise<Response>,
  fill: (route: MatrixRoute) => string = (r) => r.path.replaceAll(/{[^}]+}/g, "1"),
): Promise<string[]> {
  const wrong: string[] = [];
  // A public route that checks its own credentials (a secret, a signature) refuses everyone here.
  for (const route of routes.filter((r) => !(r.access.public && r.access.note))) {
    for (const caller of [null, ...CALLERS]) {
      const res = await send(caller, route.method.toUpperCase(), fill(route));
      const refused = res.status === 401 || (res.status === 403 && (await errorCode(res)) !== "csrf_failed");
      await res.body?.cancel().catch(() => {});
      const expected = admits(route, caller);
      if (expected === refused)
        wrong.push(
          `${route.method.toUpperCase()} ${route.path} as ${caller ?? "nobody"}: ${res.status}` +
            ` (rule ${route.access.name} ${expected ? "admits" : "refuses"} them)`,
        );
    }
  }
  return wrong;
}

async function errorCode(res: Response): Promise<string | null> {
  try {
    return ((await res.clone().json()) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return null;
  }
}
