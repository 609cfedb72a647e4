CREATE TABLE "control_actions" (
	"id" serial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"service" text NOT NULL,
	"action" text NOT NULL,
	"actor" text NOT NULL,
	"outcome" text NOT NULL,
	"message" text
);
--> statement-breakpoint
CREATE TABLE "log_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"service" text NOT NULL,
	"level" text NOT NULL,
	"message" text NOT NULL,
	"request_id" text,
	"user" text,
	"context" jsonb
);
--> statement-breakpoint
CREATE INDEX "control_actions_at_idx" ON "control_actions" USING btree ("at");--> statement-breakpoint
CREATE INDEX "log_entries_at_idx" ON "log_entries" USING btree ("at");--> statement-breakpoint
CREATE INDEX "log_entries_service_at_idx" ON "log_entries" USING btree ("service","at");--> statement-breakpoint
CREATE INDEX "log_entries_level_at_idx" ON "log_entries" USING btree ("level","at");--> statement-breakpoint
CREATE INDEX "log_entries_request_id_idx" ON "log_entries" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "log_entries_user_idx" ON "log_entries" USING btree ("user");