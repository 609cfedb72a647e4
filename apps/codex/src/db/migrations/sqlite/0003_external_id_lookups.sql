-- Partial indexes over synced rows only: SQLite's statistics count every NULL external id as one value,
-- which makes the full unique index look useless to the planner once most rows are local.
CREATE INDEX companies_external_lookup_idx ON companies (external_source, external_id) WHERE external_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX contacts_external_lookup_idx ON contacts (external_source, external_id) WHERE external_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX assets_external_lookup_idx ON assets (external_source, external_id) WHERE external_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX tickets_external_lookup_idx ON tickets (external_source, external_id) WHERE external_id IS NOT NULL;
--> statement-breakpoint
CREATE INDEX agents_external_lookup_idx ON agents (external_source, external_id) WHERE external_id IS NOT NULL;
