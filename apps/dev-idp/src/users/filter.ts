import { type AnyColumn, and, eq, or, type SQL, sql } from "drizzle-orm";
import type { UserQuery } from "@hivematrix/lib/keycloak-admin";
import type { users } from "../db/schema.ts";

/** The admin API's user filters, as the client in lib/ sends them (paging is passed apart). */
export type UserFilter = Omit<UserQuery, "first" | "max" | "briefRepresentation">;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const lower = (column: AnyColumn) => sql`lower(${column})`;
// The escape character is named: SQLite has none by default (PostgreSQL's is the backslash too).
const like = (column: AnyColumn, pattern: string) => sql`lower(${column}) LIKE ${pattern} ESCAPE '\\'`;

/**
 * Keycloak's filters as a condition on `users`: each word of `search` as a prefix (`*` a
 * wildcard, `"x"` the whole value) of username, email or a name; the other fields contain
 * their value, or equal it with `exact`. Case never matters, on either engine.
 */
export function userFilter(t: typeof users, f: UserFilter): SQL | undefined {
  const clauses: (SQL | undefined)[] = [];
  const searched = [t.username, t.email, t.firstName, t.lastName];
  if (f.search !== undefined) {
    for (const raw of f.search.trim().split(/\s+/).filter(Boolean)) {
      const word = raw.toLowerCase();
      if (word.length >= 2 && word.startsWith('"') && word.endsWith('"')) {
        clauses.push(or(...searched.map((column) => eq(lower(column), word.slice(1, -1)))));
      } else {
        let pattern = likeEscape(word).replace(/\*/g, "%");
        if (!pattern.endsWith("%")) pattern += "%";
        clauses.push(or(...searched.map((column) => like(column, pattern))));
      }
    }
  } else {
    const fields = [
      [t.username, f.username],
      [t.email, f.email],
      [t.firstName, f.firstName],
      [t.lastName, f.lastName],
    ] as const;
    for (const [column, value] of fields) {
      if (value === undefined) continue;
      const v = value.toLowerCase();
      clauses.push(f.exact ? eq(lower(column), v) : like(column, `%${likeEscape(v)}%`));
    }
  }
  if (f.enabled !== undefined) clauses.push(eq(t.enabled, f.enabled));
  return clauses.length ? and(...clauses) : undefined;
}
