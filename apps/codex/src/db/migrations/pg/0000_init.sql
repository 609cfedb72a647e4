CREATE TABLE "accepted_bills" (
	"id" serial PRIMARY KEY NOT NULL,
	"company_id" integer NOT NULL,
	"account_number" text NOT NULL,
	"invoice_number" text NOT NULL,
	"year" integer NOT NULL,
	"month" integer NOT NULL,
	"total_cents" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"notes" text,
	"accepted_by" text NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agents" (
	"id" serial PRIMARY KEY NOT NULL,
	"idp_user_id" text,
	"username" text,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"enabled" boolean NOT NULL,
	"theme" text NOT NULL,
	"home_page" text NOT NULL,
	"external_id" text,
	"external_source" text,
	"last_synced_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "asset_billing_overrides" (
	"asset_id" integer PRIMARY KEY NOT NULL,
	"billing_type" text NOT NULL,
	"custom_cents" integer,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "asset_contacts" (
	"asset_id" integer NOT NULL,
	"contact_id" integer NOT NULL,
	CONSTRAINT "asset_contacts_asset_id_contact_id_pk" PRIMARY KEY("asset_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "assets" (
	"id" serial PRIMARY KEY NOT NULL,
	"company_id" integer NOT NULL,
	"location_id" integer,
	"hostname" text NOT NULL,
	"asset_type" text NOT NULL,
	"hardware_type" text,
	"device_type" text,
	"manufacturer" text,
	"model" text,
	"serial_number" text,
	"operating_system" text,
	"description" text,
	"last_logged_in_user" text,
	"rmm_site_name" text,
	"antivirus_product" text,
	"patch_status" text,
	"internal_ip" text,
	"external_ip" text,
	"domain" text,
	"portal_url" text,
	"web_remote_url" text,
	"online" boolean NOT NULL,
	"last_seen_at" timestamp with time zone,
	"last_reboot_at" timestamp with time zone,
	"last_audit_at" timestamp with time zone,
	"backed_up" boolean NOT NULL,
	"backup_bytes" bigint NOT NULL,
	"custom_fields" jsonb NOT NULL,
	"external_id" text,
	"external_source" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" serial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"company_id" integer,
	"before" jsonb,
	"after" jsonb,
	"request_id" text
);
--> statement-breakpoint
CREATE TABLE "billing_plans" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"term" text NOT NULL,
	"support_level" text NOT NULL,
	"per_user_cents" integer NOT NULL,
	"per_workstation_cents" integer NOT NULL,
	"per_server_cents" integer NOT NULL,
	"per_vm_cents" integer NOT NULL,
	"per_switch_cents" integer NOT NULL,
	"per_firewall_cents" integer NOT NULL,
	"per_hour_cents" integer NOT NULL,
	"prepaid_minutes_monthly" integer NOT NULL,
	"prepaid_minutes_yearly" integer NOT NULL,
	"backup_base_workstation_cents" integer NOT NULL,
	"backup_base_server_cents" integer NOT NULL,
	"backup_included_tb" integer NOT NULL,
	"backup_per_tb_cents" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "companies" (
	"id" serial PRIMARY KEY NOT NULL,
	"account_number" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"domain" text,
	"domains" jsonb NOT NULL,
	"billing_plan_id" integer,
	"contract_term" text,
	"contract_start" text,
	"contract_end" text,
	"compliance_level" text NOT NULL,
	"phone" text,
	"address" text,
	"notes" text,
	"email_system" text,
	"phone_system" text,
	"head_name" text,
	"prime_user_name" text,
	"rmm_portal_url" text,
	"external_id" text,
	"external_source" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "company_billing_overrides" (
	"company_id" integer PRIMARY KEY NOT NULL,
	"per_user_cents" integer,
	"per_workstation_cents" integer,
	"per_server_cents" integer,
	"per_vm_cents" integer,
	"per_switch_cents" integer,
	"per_firewall_cents" integer,
	"per_hour_cents" integer,
	"prepaid_minutes_monthly" integer,
	"prepaid_minutes_yearly" integer,
	"backup_base_workstation_cents" integer,
	"backup_base_server_cents" integer,
	"backup_included_tb" integer,
	"backup_per_tb_cents" integer,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "company_feature_overrides" (
	"company_id" integer NOT NULL,
	"category_id" integer NOT NULL,
	"option_id" integer NOT NULL,
	CONSTRAINT "company_feature_overrides_company_id_category_id_pk" PRIMARY KEY("company_id","category_id")
);
--> statement-breakpoint
CREATE TABLE "contact_billing_overrides" (
	"company_id" integer NOT NULL,
	"contact_id" integer NOT NULL,
	"billing_type" text NOT NULL,
	"custom_cents" integer,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "contact_billing_overrides_company_id_contact_id_pk" PRIMARY KEY("company_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "contact_companies" (
	"contact_id" integer NOT NULL,
	"company_id" integer NOT NULL,
	CONSTRAINT "contact_companies_contact_id_company_id_pk" PRIMARY KEY("contact_id","company_id")
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"first_name" text,
	"last_name" text,
	"email" text,
	"secondary_emails" jsonb NOT NULL,
	"job_title" text,
	"mobile_phone" text,
	"work_phone" text,
	"address" text,
	"time_zone" text,
	"notes" text,
	"active" boolean NOT NULL,
	"vip" boolean NOT NULL,
	"external_id" text,
	"external_source" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feature_categories" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feature_options" (
	"id" serial PRIMARY KEY NOT NULL,
	"category_id" integer NOT NULL,
	"value" text NOT NULL,
	"display_name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "integration_settings" (
	"provider" text PRIMARY KEY NOT NULL,
	"enabled" boolean NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "line_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"company_id" integer NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"kind" text NOT NULL,
	"amount_cents" integer NOT NULL,
	"year" integer,
	"month" integer,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "locations" (
	"id" serial PRIMARY KEY NOT NULL,
	"company_id" integer NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"phone" text,
	"external_id" text,
	"external_source" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_features" (
	"plan_id" integer NOT NULL,
	"category_id" integer NOT NULL,
	"option_id" integer NOT NULL,
	CONSTRAINT "plan_features_plan_id_category_id_pk" PRIMARY KEY("plan_id","category_id")
);
--> statement-breakpoint
CREATE TABLE "rmm_site_links" (
	"id" serial PRIMARY KEY NOT NULL,
	"company_id" integer NOT NULL,
	"provider" text NOT NULL,
	"site_uid" text NOT NULL,
	"site_name" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"provider" text NOT NULL,
	"status" text NOT NULL,
	"triggered_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"counts" jsonb NOT NULL,
	"output" text,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "ticket_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"ticket_id" integer NOT NULL,
	"kind" text NOT NULL,
	"body" text NOT NULL,
	"author_name" text NOT NULL,
	"author_email" text,
	"incoming" boolean NOT NULL,
	"external_id" text,
	"external_source" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_time_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"ticket_id" integer NOT NULL,
	"company_id" integer NOT NULL,
	"minutes" integer NOT NULL,
	"logged_at" timestamp with time zone NOT NULL,
	"agent_name" text,
	"note" text,
	"billable" boolean NOT NULL,
	"external_id" text,
	"external_source" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" serial PRIMARY KEY NOT NULL,
	"company_id" integer NOT NULL,
	"ticket_number" text,
	"subject" text NOT NULL,
	"description" text NOT NULL,
	"status" text NOT NULL,
	"priority" text NOT NULL,
	"status_id" integer,
	"priority_id" integer,
	"ticket_type" text,
	"requester_id" integer,
	"requester_name" text,
	"requester_email" text,
	"assignee_id" integer,
	"group_name" text,
	"first_response_due_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"first_responded_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"total_minutes" integer NOT NULL,
	"external_id" text,
	"external_source" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accepted_bills" ADD CONSTRAINT "accepted_bills_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_billing_overrides" ADD CONSTRAINT "asset_billing_overrides_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_contacts" ADD CONSTRAINT "asset_contacts_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_contacts" ADD CONSTRAINT "asset_contacts_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."locations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "companies" ADD CONSTRAINT "companies_billing_plan_id_billing_plans_id_fk" FOREIGN KEY ("billing_plan_id") REFERENCES "public"."billing_plans"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_billing_overrides" ADD CONSTRAINT "company_billing_overrides_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_feature_overrides" ADD CONSTRAINT "company_feature_overrides_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_feature_overrides" ADD CONSTRAINT "company_feature_overrides_category_id_feature_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."feature_categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_feature_overrides" ADD CONSTRAINT "company_feature_overrides_option_id_feature_options_id_fk" FOREIGN KEY ("option_id") REFERENCES "public"."feature_options"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_billing_overrides" ADD CONSTRAINT "contact_billing_overrides_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_billing_overrides" ADD CONSTRAINT "contact_billing_overrides_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_companies" ADD CONSTRAINT "contact_companies_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_companies" ADD CONSTRAINT "contact_companies_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feature_options" ADD CONSTRAINT "feature_options_category_id_feature_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."feature_categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "line_items" ADD CONSTRAINT "line_items_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "locations" ADD CONSTRAINT "locations_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_features" ADD CONSTRAINT "plan_features_plan_id_billing_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."billing_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_features" ADD CONSTRAINT "plan_features_category_id_feature_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."feature_categories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_features" ADD CONSTRAINT "plan_features_option_id_feature_options_id_fk" FOREIGN KEY ("option_id") REFERENCES "public"."feature_options"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rmm_site_links" ADD CONSTRAINT "rmm_site_links_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_entries" ADD CONSTRAINT "ticket_entries_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_time_entries" ADD CONSTRAINT "ticket_time_entries_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_time_entries" ADD CONSTRAINT "ticket_time_entries_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_requester_id_contacts_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_assignee_id_agents_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accepted_bills_invoice_uq" ON "accepted_bills" USING btree ("invoice_number");--> statement-breakpoint
CREATE UNIQUE INDEX "accepted_bills_company_period_uq" ON "accepted_bills" USING btree ("company_id","year","month");--> statement-breakpoint
CREATE INDEX "accepted_bills_period_idx" ON "accepted_bills" USING btree ("year","month");--> statement-breakpoint
CREATE UNIQUE INDEX "agents_idp_user_uq" ON "agents" USING btree ("idp_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "agents_username_uq" ON "agents" USING btree ("username");--> statement-breakpoint
CREATE UNIQUE INDEX "agents_email_uq" ON "agents" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "agents_external_uq" ON "agents" USING btree ("external_source","external_id");--> statement-breakpoint
CREATE INDEX "asset_contacts_contact_idx" ON "asset_contacts" USING btree ("contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assets_external_uq" ON "assets" USING btree ("external_source","external_id");--> statement-breakpoint
CREATE INDEX "assets_company_hostname_idx" ON "assets" USING btree ("company_id","hostname","id");--> statement-breakpoint
CREATE INDEX "assets_hostname_idx" ON "assets" USING btree ("hostname","id");--> statement-breakpoint
CREATE INDEX "assets_type_idx" ON "assets" USING btree ("asset_type","hostname","id");--> statement-breakpoint
CREATE INDEX "assets_updated_idx" ON "assets" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity","entity_id","id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_plans_name_term_uq" ON "billing_plans" USING btree ("name","term");--> statement-breakpoint
CREATE UNIQUE INDEX "companies_account_number_uq" ON "companies" USING btree ("account_number");--> statement-breakpoint
CREATE UNIQUE INDEX "companies_external_uq" ON "companies" USING btree ("external_source","external_id");--> statement-breakpoint
CREATE INDEX "companies_name_idx" ON "companies" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "companies_updated_idx" ON "companies" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "contact_companies_company_idx" ON "contact_companies" USING btree ("company_id","contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_email_uq" ON "contacts" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_external_uq" ON "contacts" USING btree ("external_source","external_id");--> statement-breakpoint
CREATE INDEX "contacts_name_idx" ON "contacts" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "contacts_updated_idx" ON "contacts" USING btree ("updated_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "feature_categories_key_uq" ON "feature_categories" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "feature_options_category_value_uq" ON "feature_options" USING btree ("category_id","value");--> statement-breakpoint
CREATE INDEX "line_items_company_idx" ON "line_items" USING btree ("company_id");--> statement-breakpoint
CREATE INDEX "locations_company_idx" ON "locations" USING btree ("company_id");--> statement-breakpoint
CREATE UNIQUE INDEX "locations_external_uq" ON "locations" USING btree ("external_source","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rmm_site_links_uq" ON "rmm_site_links" USING btree ("provider","site_uid");--> statement-breakpoint
CREATE INDEX "rmm_site_links_company_idx" ON "rmm_site_links" USING btree ("company_id");--> statement-breakpoint
CREATE INDEX "sync_jobs_kind_idx" ON "sync_jobs" USING btree ("kind","provider","created_at");--> statement-breakpoint
CREATE INDEX "sync_jobs_status_idx" ON "sync_jobs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "ticket_entries_ticket_idx" ON "ticket_entries" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_entries_external_uq" ON "ticket_entries" USING btree ("external_source","external_id");--> statement-breakpoint
CREATE INDEX "ticket_time_company_logged_idx" ON "ticket_time_entries" USING btree ("company_id","logged_at");--> statement-breakpoint
CREATE INDEX "ticket_time_ticket_idx" ON "ticket_time_entries" USING btree ("ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_time_external_uq" ON "ticket_time_entries" USING btree ("external_source","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_external_uq" ON "tickets" USING btree ("external_source","external_id");--> statement-breakpoint
CREATE INDEX "tickets_company_updated_idx" ON "tickets" USING btree ("company_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "tickets_status_updated_idx" ON "tickets" USING btree ("status","updated_at","id");--> statement-breakpoint
CREATE INDEX "tickets_updated_idx" ON "tickets" USING btree ("updated_at","id");--> statement-breakpoint
CREATE INDEX "tickets_created_idx" ON "tickets" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "tickets_closed_idx" ON "tickets" USING btree ("closed_at");--> statement-breakpoint
CREATE INDEX "tickets_assignee_idx" ON "tickets" USING btree ("assignee_id");