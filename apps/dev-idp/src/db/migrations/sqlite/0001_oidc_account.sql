ALTER TABLE `oidc` ADD `account_id` text;--> statement-breakpoint
CREATE INDEX `oidc_account` ON `oidc` (`account_id`);