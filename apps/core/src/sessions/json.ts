import { z } from "zod";
import { PERMISSION_LEVELS } from "@hivematrix/lib/config";
import type { SessionRow } from "../db/schema.ts";

/** A session as the API shows it (never its token). */
export const sessionSchema = z
  .object({
    id: z.string(),
    user: z.object({
      sub: z.string(),
      username: z.string(),
      name: z.string(),
      email: z.string(),
      company: z.string().nullable(),
    }),
    permission_level: z.enum(PERMISSION_LEVELS),
    source: z.enum(["login", "cli"]),
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime(),
    last_seen_at: z.iso.datetime().nullable(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
  })
  .meta({ id: "Session" });

export function sessionJson(s: SessionRow): z.infer<typeof sessionSchema> {
  return {
    id: s.id,
    user: { sub: s.sub, username: s.username, name: s.name, email: s.email, company: s.company },
    permission_level: s.permissionLevel,
    source: s.source,
    created_at: s.createdAt.toISOString(),
    expires_at: s.expiresAt.toISOString(),
    last_seen_at: s.lastSeenAt?.toISOString() ?? null,
    ip: s.ip,
    user_agent: s.userAgent,
  };
}

/** A session id as Core makes them (random base64url), for path parameters. */
export const sessionId = z.string().regex(/^[A-Za-z0-9_-]{10,100}$/, "a session id");
