CREATE TABLE "backup_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"trigger" text NOT NULL,
	"actor" text NOT NULL,
	"outcome" text NOT NULL,
	"file" text,
	"bytes" bigint,
	"duration_ms" integer,
	"message" text
);
--> statement-breakpoint
CREATE TABLE "backup_schedule" (
	"id" integer PRIMARY KEY NOT NULL,
	"cron" text,
	"keep_daily" integer NOT NULL,
	"keep_weekly" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "metric_points" ADD COLUMN "p50_ms" double precision;--> statement-breakpoint
ALTER TABLE "metric_points" ADD COLUMN "cpu_pct" double precision;--> statement-breakpoint
ALTER TABLE "metric_points" ADD COLUMN "rss_bytes" double precision;--> statement-breakpoint
CREATE INDEX "backup_runs_started_at_idx" ON "backup_runs" USING btree ("started_at");