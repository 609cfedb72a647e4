CREATE TABLE `ticket_attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`entry_id` integer,
	`storage_key` text NOT NULL,
	`filename` text NOT NULL,
	`content_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`uploaded_by_id` text NOT NULL,
	`uploaded_by_name` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`entry_id`) REFERENCES `ticket_entries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_attachments_storage_uq` ON `ticket_attachments` (`storage_key`);--> statement-breakpoint
CREATE INDEX `ticket_attachments_ticket_idx` ON `ticket_attachments` (`ticket_id`,`id`);--> statement-breakpoint
CREATE INDEX `ticket_attachments_entry_idx` ON `ticket_attachments` (`entry_id`);--> statement-breakpoint
ALTER TABLE `tickets` ADD `opened_by_id` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `opened_by_name` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `opened_by_email` text;