import type { z } from "zod";
import type { Access } from "@hivematrix/lib/access";
import type { RouteTable } from "@hivematrix/lib/route-table";

/** A route of Codex's table as the tests walk it: Hono-style path, its rule and its request schemas. */
export interface ListedRoute {
  method: string;
  /** `/api/companies/:acct`, as requests fill it. */
  path: string;
  access: Access;
  page: boolean;
  query?: z.ZodType;
  /** The JSON body's schema. */
  body?: z.ZodType;
  /** A body of another media type (CSV imports). */
  bodyType?: string;
}

const honoStyle = (path: string) => path.replaceAll(/{([^}]+)}/g, ":$1");

/** Every API route and page of the app's route table, in the order they were added. */
export function listedRoutes(table: RouteTable): ListedRoute[] {
  const apis = table.apis.map((route) => {
    const content = route.request?.body?.content ?? {};
    const type = Object.keys(content)[0];
    return {
      method: route.method,
      path: honoStyle(route.path),
      access: route.access,
      page: false,
      query: route.request?.query as z.ZodType | undefined,
      body: type === "application/json" ? (content[type] as { schema: z.ZodType }).schema : undefined,
      bodyType: type && type !== "application/json" ? type : undefined,
    };
  });
  const pages = table.pages.map((route) => ({
    method: route.method,
    path: honoStyle(route.path),
    access: route.access,
    page: true,
  }));
  return [...apis, ...pages];
}

/** Whether client users may call the route at all. */
export const clientMay = (route: ListedRoute) => route.access.levels.includes("client");
