CREATE TABLE `billing_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_key` text NOT NULL,
	`year` integer NOT NULL,
	`month` integer NOT NULL,
	`triggered_by` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`accepted` integer NOT NULL,
	`skipped` integer NOT NULL,
	`empty` integer NOT NULL,
	`failed` integer NOT NULL,
	`output` text,
	`error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_runs_key_uq` ON `billing_runs` (`run_key`);--> statement-breakpoint
CREATE INDEX `billing_runs_started_idx` ON `billing_runs` (`started_at`,`id`);--> statement-breakpoint
CREATE TABLE `manual_assets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`hostname` text NOT NULL,
	`billing_type` text NOT NULL,
	`custom_cents` integer,
	`notes` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `manual_assets_company_idx` ON `manual_assets` (`company_id`,`id`);--> statement-breakpoint
CREATE TABLE `manual_users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`name` text NOT NULL,
	`billing_type` text NOT NULL,
	`custom_cents` integer,
	`notes` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `manual_users_company_idx` ON `manual_users` (`company_id`,`id`);