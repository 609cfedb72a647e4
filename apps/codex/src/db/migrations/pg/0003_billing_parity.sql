CREATE TABLE "billing_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_key" text NOT NULL,
	"year" integer NOT NULL,
	"month" integer NOT NULL,
	"triggered_by" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"accepted" integer NOT NULL,
	"skipped" integer NOT NULL,
	"empty" integer NOT NULL,
	"failed" integer NOT NULL,
	"output" text,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "manual_assets" (
	"id" serial PRIMARY KEY NOT NULL,
	"company_id" integer NOT NULL,
	"hostname" text NOT NULL,
	"billing_type" text NOT NULL,
	"custom_cents" integer,
	"notes" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "manual_users" (
	"id" serial PRIMARY KEY NOT NULL,
	"company_id" integer NOT NULL,
	"name" text NOT NULL,
	"billing_type" text NOT NULL,
	"custom_cents" integer,
	"notes" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "manual_assets" ADD CONSTRAINT "manual_assets_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_users" ADD CONSTRAINT "manual_users_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "billing_runs_key_uq" ON "billing_runs" USING btree ("run_key");--> statement-breakpoint
CREATE INDEX "billing_runs_started_idx" ON "billing_runs" USING btree ("started_at","id");--> statement-breakpoint
CREATE INDEX "manual_assets_company_idx" ON "manual_assets" USING btree ("company_id","id");--> statement-breakpoint
CREATE INDEX "manual_users_company_idx" ON "manual_users" USING btree ("company_id","id");