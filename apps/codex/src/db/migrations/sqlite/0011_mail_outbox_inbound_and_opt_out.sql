CREATE TABLE `mail_inbound` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text,
	`mailbox` text NOT NULL,
	`uid_validity` integer NOT NULL,
	`uid` integer NOT NULL,
	`from_address` text,
	`from_name` text,
	`subject` text NOT NULL,
	`body` text,
	`outcome` text NOT NULL,
	`reason` text,
	`ticket_id` integer,
	`received_at` integer,
	`handled_by` text,
	`handled_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_inbound_message_id_uq` ON `mail_inbound` (`message_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `mail_inbound_uid_uq` ON `mail_inbound` (`mailbox`,`uid_validity`,`uid`);--> statement-breakpoint
CREATE INDEX `mail_inbound_outcome_idx` ON `mail_inbound` (`outcome`,`id`);--> statement-breakpoint
CREATE INDEX `mail_inbound_ticket_idx` ON `mail_inbound` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `mail_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer,
	`event` text NOT NULL,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`text_body` text NOT NULL,
	`html_body` text NOT NULL,
	`message_id` text NOT NULL,
	`in_reply_to` text,
	`references` text,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`locked_until` integer,
	`claim_token` text,
	`last_error` text,
	`sent_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_outbox_message_id_uq` ON `mail_outbox` (`message_id`);--> statement-breakpoint
CREATE INDEX `mail_outbox_due_idx` ON `mail_outbox` (`status`,`next_attempt_at`,`id`);--> statement-breakpoint
CREATE INDEX `mail_outbox_ticket_idx` ON `mail_outbox` (`ticket_id`);--> statement-breakpoint
ALTER TABLE `agents` ADD `email_notifications` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `contacts` ADD `email_notifications` integer DEFAULT true NOT NULL;