CREATE TABLE `metric_points` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`service` text NOT NULL,
	`at` integer NOT NULL,
	`rate` real NOT NULL,
	`p95_ms` real,
	`error_pct` real NOT NULL
);
--> statement-breakpoint
CREATE INDEX `metric_points_service_at_idx` ON `metric_points` (`service`,`at`);--> statement-breakpoint
CREATE INDEX `metric_points_at_idx` ON `metric_points` (`at`);