import { inArray } from "drizzle-orm";
import type { BrainhairDb } from "../deps.ts";
import type { ChatRow } from "../db/schema.ts";

/** The words of a query (letters and digits), lower-cased; at most 8. */
export function searchTerms(search: string): string[] {
  return (search.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
}

export interface Hit {
  chat: ChatRow;
  /** The newest matching message's text, shortened, when a message matched. */
  snippet: string | null;
}

/**
 * Full-text search over this person's chat titles and messages (every word, each as a prefix):
 * FTS5 on SQLite, GIN-indexed tsvectors on Postgres (migration 0001_search). Newest chats first.
 */
export async function searchChats(db: BrainhairDb, userSub: string, search: string, limit: number): Promise<Hit[]> {
  const terms = searchTerms(search);
  if (terms.length === 0) return [];
  let rows: { chat_id: string; shown: string | null }[];
  if (db.engine === "sqlite") {
    const match = terms.map((term) => `"${term}"*`).join(" ");
    rows = db
      .sqlite!.query<{ chat_id: string; shown: string | null }, [string, string, string, number]>(
        `SELECT c.id AS chat_id,
              (SELECT m.shown FROM messages m JOIN messages_fts f ON f.rowid = m.id
                WHERE m.chat_id = c.id AND messages_fts MATCH ?1 ORDER BY m.id DESC LIMIT 1) AS shown
         FROM chats c
        WHERE c.user_sub = ?2
          AND (c.rowid IN (SELECT rowid FROM chats_fts WHERE chats_fts MATCH ?3)
               OR c.id IN (SELECT m.chat_id FROM messages m JOIN messages_fts f ON f.rowid = m.id
                            WHERE messages_fts MATCH ?1))
        ORDER BY c.updated_at DESC LIMIT ?4`,
      )
      .all(match, userSub, match, limit);
  } else {
    const query = terms.map((term) => `${term}:*`).join(" & ");
    rows = await db.pg!.unsafe<{ chat_id: string; shown: string | null }[]>(
      `SELECT c.id AS chat_id,
              (SELECT m.shown FROM messages m
                WHERE m.chat_id = c.id AND to_tsvector('simple'::regconfig, m.shown) @@ to_tsquery('simple', $1)
                ORDER BY m.id DESC LIMIT 1) AS shown
         FROM chats c
        WHERE c.user_sub = $2
          AND (to_tsvector('simple'::regconfig, c.title) @@ to_tsquery('simple', $1)
               OR EXISTS (SELECT 1 FROM messages m WHERE m.chat_id = c.id
                           AND to_tsvector('simple'::regconfig, m.shown) @@ to_tsquery('simple', $1)))
        ORDER BY c.updated_at DESC LIMIT $3`,
      [query, userSub, limit],
    );
  }
  if (rows.length === 0) return [];
  const chats = await db.db
    .select()
    .from(db.t.chats)
    .where(
      inArray(
        db.t.chats.id,
        rows.map((row) => row.chat_id),
      ),
    );
  const byId = new Map(chats.map((chat) => [chat.id, chat]));
  return rows.flatMap((row) => {
    const chat = byId.get(row.chat_id);
    return chat ? [{ chat, snippet: row.shown ? shorten(row.shown) : null }] : [];
  });
}

const shorten = (text: string) => (text.length > 200 ? `${text.slice(0, 199)}…` : text);
