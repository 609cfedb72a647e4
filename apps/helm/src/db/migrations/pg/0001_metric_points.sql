CREATE TABLE "metric_points" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"service" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"rate" double precision NOT NULL,
	"p95_ms" double precision,
	"error_pct" double precision NOT NULL
);
--> statement-breakpoint
CREATE INDEX "metric_points_service_at_idx" ON "metric_points" USING btree ("service","at");--> statement-breakpoint
CREATE INDEX "metric_points_at_idx" ON "metric_points" USING btree ("at");