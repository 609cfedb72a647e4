CREATE TABLE `backup_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`trigger` text NOT NULL,
	`actor` text NOT NULL,
	`outcome` text NOT NULL,
	`file` text,
	`bytes` integer,
	`duration_ms` integer,
	`message` text
);
--> statement-breakpoint
CREATE INDEX `backup_runs_started_at_idx` ON `backup_runs` (`started_at`);--> statement-breakpoint
CREATE TABLE `backup_schedule` (
	`id` integer PRIMARY KEY NOT NULL,
	`cron` text,
	`keep_daily` integer NOT NULL,
	`keep_weekly` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `metric_points` ADD `p50_ms` real;--> statement-breakpoint
ALTER TABLE `metric_points` ADD `cpu_pct` real;--> statement-breakpoint
ALTER TABLE `metric_points` ADD `rss_bytes` real;