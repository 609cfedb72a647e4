CREATE TABLE `freshservice_writebacks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`entry_id` integer,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`claimed_until` integer,
	`claimed_by` text,
	`uncertain` integer NOT NULL,
	`last_error` text,
	`last_status` integer,
	`external_id` text,
	`actor` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`entry_id`) REFERENCES `ticket_entries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `freshservice_writebacks_due_idx` ON `freshservice_writebacks` (`state`,`next_attempt_at`,`id`);--> statement-breakpoint
CREATE INDEX `freshservice_writebacks_ticket_idx` ON `freshservice_writebacks` (`ticket_id`,`id`);