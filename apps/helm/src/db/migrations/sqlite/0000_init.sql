CREATE TABLE `control_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`service` text NOT NULL,
	`action` text NOT NULL,
	`actor` text NOT NULL,
	`outcome` text NOT NULL,
	`message` text
);
--> statement-breakpoint
CREATE INDEX `control_actions_at_idx` ON `control_actions` (`at`);--> statement-breakpoint
CREATE TABLE `log_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`service` text NOT NULL,
	`level` text NOT NULL,
	`message` text NOT NULL,
	`request_id` text,
	`user` text,
	`context` text
);
--> statement-breakpoint
CREATE INDEX `log_entries_at_idx` ON `log_entries` (`at`);--> statement-breakpoint
CREATE INDEX `log_entries_service_at_idx` ON `log_entries` (`service`,`at`);--> statement-breakpoint
CREATE INDEX `log_entries_level_at_idx` ON `log_entries` (`level`,`at`);--> statement-breakpoint
CREATE INDEX `log_entries_request_id_idx` ON `log_entries` (`request_id`);--> statement-breakpoint
CREATE INDEX `log_entries_user_idx` ON `log_entries` (`user`);