-- Full-text search over chat titles and the text of messages; search.ts uses the same expressions.
CREATE INDEX "chats_title_fts_idx" ON "chats" USING gin (to_tsvector('simple'::regconfig, "title"));
--> statement-breakpoint
CREATE INDEX "messages_shown_fts_idx" ON "messages" USING gin (to_tsvector('simple'::regconfig, "shown"));
