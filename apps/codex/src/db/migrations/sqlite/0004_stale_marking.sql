CREATE TABLE `app_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `assets` ADD `stale_since` integer;--> statement-breakpoint
ALTER TABLE `companies` ADD `stale_since` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `agent_responded_at` integer;