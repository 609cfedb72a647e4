import { type AnyColumn, and, eq, or, type SQL, sql } from "drizzle-orm";
import type { UserQuery } from "@hivematrix/lib/keycloak-admin";
import type { users as usersTable } from "../db/schema.ts";

type Table = typeof usersTable;

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
export function userFilter(users: Table, filter: UserFilter): SQL | undefined {
  const clauses: (SQL | undefined)[] = [];
  const searched = [users.username, users.email, users.firstName, users.lastName];
  if (filter.search !== undefined) {
    for (const raw of filter.search.trim().split(/\s+/).filter(Boolean)) {
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
      [users.username, filter.username],
      [users.email, filter.email],
      [users.firstName, filter.firstName],
      [users.lastName, filter.lastName],
    ] as const;
    for (const [column, value] of fields) {
      if (value === undefined) continue;
      const lowered = value.toLowerCase();
      clauses.push(filter.exact ? eq(lower(column), lowered) : like(column, `%${likeEscape(lowered)}%`));
    }
  }
  if (filter.enabled !== undefined) clauses.push(eq(users.enabled, filter.enabled));
  return clauses.length ? and(...clauses) : undefined;
}
