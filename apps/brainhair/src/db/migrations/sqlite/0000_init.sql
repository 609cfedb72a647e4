CREATE TABLE `chats` (
	`id` text PRIMARY KEY NOT NULL,
	`user_sub` text NOT NULL,
	`username` text NOT NULL,
	`title` text NOT NULL,
	`context_kind` text,
	`context_ref` text,
	`context_company` text,
	`context_level` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `chats_user_updated_idx` ON `chats` (`user_sub`,`updated_at`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chat_id` text NOT NULL,
	`turn_id` text NOT NULL,
	`role` text NOT NULL,
	`content` text NOT NULL,
	`shown` text NOT NULL,
	`was_filtered` integer NOT NULL,
	`filter_levels` text NOT NULL,
	`model` text,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cache_read_tokens` integer DEFAULT 0 NOT NULL,
	`cache_write_tokens` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `messages_chat_idx` ON `messages` (`chat_id`,`id`);--> statement-breakpoint
CREATE INDEX `messages_created_idx` ON `messages` (`created_at`);--> statement-breakpoint
CREATE TABLE `tool_calls` (
	`id` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`turn_id` text NOT NULL,
	`user_sub` text NOT NULL,
	`username` text NOT NULL,
	`tool_use_id` text NOT NULL,
	`tool` text NOT NULL,
	`operation` text,
	`input` text NOT NULL,
	`request` text,
	`input_hash` text,
	`kind` text NOT NULL,
	`summary` text,
	`decision` text NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`expires_at` integer,
	`result_status` integer,
	`result_note` text,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tool_calls_chat_idx` ON `tool_calls` (`chat_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `tool_calls_created_idx` ON `tool_calls` (`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `tool_calls_use_idx` ON `tool_calls` (`turn_id`,`tool_use_id`);--> statement-breakpoint
CREATE TABLE `turns` (
	`id` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`status` text NOT NULL,
	`stop_requested` integer DEFAULT false NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `turns_chat_idx` ON `turns` (`chat_id`,`started_at`);