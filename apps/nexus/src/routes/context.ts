import type { Context } from "hono";
import type { RequestInfo } from "../request-info.ts";

/** Nexus hands each request's RequestInfo to its Hono pages as the fetch environment. */
export interface NexusBindings {
  info: RequestInfo;
}

export function infoOf(c: Context): RequestInfo {
  return (c.env as NexusBindings).info;
}
