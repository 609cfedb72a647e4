CREATE TABLE `accepted_bills` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`account_number` text NOT NULL,
	`invoice_number` text NOT NULL,
	`year` integer NOT NULL,
	`month` integer NOT NULL,
	`total_cents` integer NOT NULL,
	`snapshot` text NOT NULL,
	`notes` text,
	`accepted_by` text NOT NULL,
	`accepted_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accepted_bills_invoice_uq` ON `accepted_bills` (`invoice_number`);--> statement-breakpoint
CREATE UNIQUE INDEX `accepted_bills_company_period_uq` ON `accepted_bills` (`company_id`,`year`,`month`);--> statement-breakpoint
CREATE INDEX `accepted_bills_period_idx` ON `accepted_bills` (`year`,`month`);--> statement-breakpoint
CREATE TABLE `agents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`idp_user_id` text,
	`username` text,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`enabled` integer NOT NULL,
	`theme` text NOT NULL,
	`home_page` text NOT NULL,
	`external_id` text,
	`external_source` text,
	`last_synced_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `agents_idp_user_uq` ON `agents` (`idp_user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `agents_username_uq` ON `agents` (`username`);--> statement-breakpoint
CREATE UNIQUE INDEX `agents_email_uq` ON `agents` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `agents_external_uq` ON `agents` (`external_source`,`external_id`);--> statement-breakpoint
CREATE TABLE `asset_billing_overrides` (
	`asset_id` integer PRIMARY KEY NOT NULL,
	`billing_type` text NOT NULL,
	`custom_cents` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`asset_id`) REFERENCES `assets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `asset_contacts` (
	`asset_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	PRIMARY KEY(`asset_id`, `contact_id`),
	FOREIGN KEY (`asset_id`) REFERENCES `assets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `asset_contacts_contact_idx` ON `asset_contacts` (`contact_id`);--> statement-breakpoint
CREATE TABLE `assets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`location_id` integer,
	`hostname` text NOT NULL,
	`asset_type` text NOT NULL,
	`hardware_type` text,
	`device_type` text,
	`manufacturer` text,
	`model` text,
	`serial_number` text,
	`operating_system` text,
	`description` text,
	`last_logged_in_user` text,
	`rmm_site_name` text,
	`antivirus_product` text,
	`patch_status` text,
	`internal_ip` text,
	`external_ip` text,
	`domain` text,
	`portal_url` text,
	`web_remote_url` text,
	`online` integer NOT NULL,
	`last_seen_at` integer,
	`last_reboot_at` integer,
	`last_audit_at` integer,
	`backed_up` integer NOT NULL,
	`backup_bytes` integer NOT NULL,
	`custom_fields` text NOT NULL,
	`external_id` text,
	`external_source` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assets_external_uq` ON `assets` (`external_source`,`external_id`);--> statement-breakpoint
CREATE INDEX `assets_company_hostname_idx` ON `assets` (`company_id`,`hostname`,`id`);--> statement-breakpoint
CREATE INDEX `assets_hostname_idx` ON `assets` (`hostname`,`id`);--> statement-breakpoint
CREATE INDEX `assets_type_idx` ON `assets` (`asset_type`,`hostname`,`id`);--> statement-breakpoint
CREATE INDEX `assets_updated_idx` ON `assets` (`updated_at`,`id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`company_id` integer,
	`before` text,
	`after` text,
	`request_id` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity`,`entity_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `billing_plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`term` text NOT NULL,
	`support_level` text NOT NULL,
	`per_user_cents` integer NOT NULL,
	`per_workstation_cents` integer NOT NULL,
	`per_server_cents` integer NOT NULL,
	`per_vm_cents` integer NOT NULL,
	`per_switch_cents` integer NOT NULL,
	`per_firewall_cents` integer NOT NULL,
	`per_hour_cents` integer NOT NULL,
	`prepaid_minutes_monthly` integer NOT NULL,
	`prepaid_minutes_yearly` integer NOT NULL,
	`backup_base_workstation_cents` integer NOT NULL,
	`backup_base_server_cents` integer NOT NULL,
	`backup_included_tb` integer NOT NULL,
	`backup_per_tb_cents` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_plans_name_term_uq` ON `billing_plans` (`name`,`term`);--> statement-breakpoint
CREATE TABLE `companies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_number` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`domain` text,
	`domains` text NOT NULL,
	`billing_plan_id` integer,
	`contract_term` text,
	`contract_start` text,
	`contract_end` text,
	`compliance_level` text NOT NULL,
	`phone` text,
	`address` text,
	`notes` text,
	`email_system` text,
	`phone_system` text,
	`head_name` text,
	`prime_user_name` text,
	`rmm_portal_url` text,
	`external_id` text,
	`external_source` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`billing_plan_id`) REFERENCES `billing_plans`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `companies_account_number_uq` ON `companies` (`account_number`);--> statement-breakpoint
CREATE UNIQUE INDEX `companies_external_uq` ON `companies` (`external_source`,`external_id`);--> statement-breakpoint
CREATE INDEX `companies_name_idx` ON `companies` (`name`,`id`);--> statement-breakpoint
CREATE INDEX `companies_updated_idx` ON `companies` (`updated_at`,`id`);--> statement-breakpoint
CREATE TABLE `company_billing_overrides` (
	`company_id` integer PRIMARY KEY NOT NULL,
	`per_user_cents` integer,
	`per_workstation_cents` integer,
	`per_server_cents` integer,
	`per_vm_cents` integer,
	`per_switch_cents` integer,
	`per_firewall_cents` integer,
	`per_hour_cents` integer,
	`prepaid_minutes_monthly` integer,
	`prepaid_minutes_yearly` integer,
	`backup_base_workstation_cents` integer,
	`backup_base_server_cents` integer,
	`backup_included_tb` integer,
	`backup_per_tb_cents` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `company_feature_overrides` (
	`company_id` integer NOT NULL,
	`category_id` integer NOT NULL,
	`option_id` integer NOT NULL,
	PRIMARY KEY(`company_id`, `category_id`),
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`category_id`) REFERENCES `feature_categories`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`option_id`) REFERENCES `feature_options`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `contact_billing_overrides` (
	`company_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`billing_type` text NOT NULL,
	`custom_cents` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`company_id`, `contact_id`),
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `contact_companies` (
	`contact_id` integer NOT NULL,
	`company_id` integer NOT NULL,
	PRIMARY KEY(`contact_id`, `company_id`),
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contact_companies_company_idx` ON `contact_companies` (`company_id`,`contact_id`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`first_name` text,
	`last_name` text,
	`email` text,
	`secondary_emails` text NOT NULL,
	`job_title` text,
	`mobile_phone` text,
	`work_phone` text,
	`address` text,
	`time_zone` text,
	`notes` text,
	`active` integer NOT NULL,
	`vip` integer NOT NULL,
	`external_id` text,
	`external_source` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_email_uq` ON `contacts` (`email`);--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_external_uq` ON `contacts` (`external_source`,`external_id`);--> statement-breakpoint
CREATE INDEX `contacts_name_idx` ON `contacts` (`name`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_updated_idx` ON `contacts` (`updated_at`,`id`);--> statement-breakpoint
CREATE TABLE `feature_categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feature_categories_key_uq` ON `feature_categories` (`key`);--> statement-breakpoint
CREATE TABLE `feature_options` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`category_id` integer NOT NULL,
	`value` text NOT NULL,
	`display_name` text NOT NULL,
	`description` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`category_id`) REFERENCES `feature_categories`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `feature_options_category_value_uq` ON `feature_options` (`category_id`,`value`);--> statement-breakpoint
CREATE TABLE `integration_settings` (
	`provider` text PRIMARY KEY NOT NULL,
	`enabled` integer NOT NULL,
	`settings` text NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `line_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`kind` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`year` integer,
	`month` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `line_items_company_idx` ON `line_items` (`company_id`);--> statement-breakpoint
CREATE TABLE `locations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`name` text NOT NULL,
	`address` text,
	`phone` text,
	`external_id` text,
	`external_source` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `locations_company_idx` ON `locations` (`company_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `locations_external_uq` ON `locations` (`external_source`,`external_id`);--> statement-breakpoint
CREATE TABLE `plan_features` (
	`plan_id` integer NOT NULL,
	`category_id` integer NOT NULL,
	`option_id` integer NOT NULL,
	PRIMARY KEY(`plan_id`, `category_id`),
	FOREIGN KEY (`plan_id`) REFERENCES `billing_plans`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`category_id`) REFERENCES `feature_categories`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`option_id`) REFERENCES `feature_options`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `rmm_site_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`provider` text NOT NULL,
	`site_uid` text NOT NULL,
	`site_name` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rmm_site_links_uq` ON `rmm_site_links` (`provider`,`site_uid`);--> statement-breakpoint
CREATE INDEX `rmm_site_links_company_idx` ON `rmm_site_links` (`company_id`);--> statement-breakpoint
CREATE TABLE `sync_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`provider` text NOT NULL,
	`status` text NOT NULL,
	`triggered_by` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`counts` text NOT NULL,
	`output` text,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `sync_jobs_kind_idx` ON `sync_jobs` (`kind`,`provider`,`created_at`);--> statement-breakpoint
CREATE INDEX `sync_jobs_status_idx` ON `sync_jobs` (`status`);--> statement-breakpoint
CREATE TABLE `ticket_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`kind` text NOT NULL,
	`body` text NOT NULL,
	`author_name` text NOT NULL,
	`author_email` text,
	`incoming` integer NOT NULL,
	`external_id` text,
	`external_source` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ticket_entries_ticket_idx` ON `ticket_entries` (`ticket_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_entries_external_uq` ON `ticket_entries` (`external_source`,`external_id`);--> statement-breakpoint
CREATE TABLE `ticket_time_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`company_id` integer NOT NULL,
	`minutes` integer NOT NULL,
	`logged_at` integer NOT NULL,
	`agent_name` text,
	`note` text,
	`billable` integer NOT NULL,
	`external_id` text,
	`external_source` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ticket_time_company_logged_idx` ON `ticket_time_entries` (`company_id`,`logged_at`);--> statement-breakpoint
CREATE INDEX `ticket_time_ticket_idx` ON `ticket_time_entries` (`ticket_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_time_external_uq` ON `ticket_time_entries` (`external_source`,`external_id`);--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`company_id` integer NOT NULL,
	`ticket_number` text,
	`subject` text NOT NULL,
	`description` text NOT NULL,
	`status` text NOT NULL,
	`priority` text NOT NULL,
	`status_id` integer,
	`priority_id` integer,
	`ticket_type` text,
	`requester_id` integer,
	`requester_name` text,
	`requester_email` text,
	`assignee_id` integer,
	`group_name` text,
	`first_response_due_at` integer,
	`due_at` integer,
	`first_responded_at` integer,
	`closed_at` integer,
	`total_minutes` integer NOT NULL,
	`external_id` text,
	`external_source` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`requester_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`assignee_id`) REFERENCES `agents`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_external_uq` ON `tickets` (`external_source`,`external_id`);--> statement-breakpoint
CREATE INDEX `tickets_company_updated_idx` ON `tickets` (`company_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_status_updated_idx` ON `tickets` (`status`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_updated_idx` ON `tickets` (`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_created_idx` ON `tickets` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_closed_idx` ON `tickets` (`closed_at`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_idx` ON `tickets` (`assignee_id`);