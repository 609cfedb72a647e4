CREATE TABLE "chats" (
	"id" text PRIMARY KEY NOT NULL,
	"user_sub" text NOT NULL,
	"username" text NOT NULL,
	"title" text NOT NULL,
	"context_kind" text,
	"context_ref" text,
	"context_company" text,
	"context_level" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" serial PRIMARY KEY NOT NULL,
	"chat_id" text NOT NULL,
	"turn_id" text NOT NULL,
	"role" text NOT NULL,
	"content" jsonb NOT NULL,
	"shown" text NOT NULL,
	"was_filtered" boolean NOT NULL,
	"filter_levels" jsonb NOT NULL,
	"model" text,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"cache_read_tokens" integer DEFAULT 0 NOT NULL,
	"cache_write_tokens" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tool_calls" (
	"id" text PRIMARY KEY NOT NULL,
	"chat_id" text NOT NULL,
	"turn_id" text NOT NULL,
	"user_sub" text NOT NULL,
	"username" text NOT NULL,
	"tool_use_id" text NOT NULL,
	"tool" text NOT NULL,
	"operation" text,
	"input" jsonb NOT NULL,
	"request" jsonb,
	"input_hash" text,
	"kind" text NOT NULL,
	"summary" jsonb,
	"decision" text NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"result_status" integer,
	"result_note" text,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "turns" (
	"id" text PRIMARY KEY NOT NULL,
	"chat_id" text NOT NULL,
	"status" text NOT NULL,
	"stop_requested" boolean DEFAULT false NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_chat_id_chats_id_fk" FOREIGN KEY ("chat_id") REFERENCES "public"."chats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tool_calls" ADD CONSTRAINT "tool_calls_chat_id_chats_id_fk" FOREIGN KEY ("chat_id") REFERENCES "public"."chats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "turns" ADD CONSTRAINT "turns_chat_id_chats_id_fk" FOREIGN KEY ("chat_id") REFERENCES "public"."chats"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chats_user_updated_idx" ON "chats" USING btree ("user_sub","updated_at");--> statement-breakpoint
CREATE INDEX "messages_chat_idx" ON "messages" USING btree ("chat_id","id");--> statement-breakpoint
CREATE INDEX "messages_created_idx" ON "messages" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "tool_calls_chat_idx" ON "tool_calls" USING btree ("chat_id","created_at");--> statement-breakpoint
CREATE INDEX "tool_calls_created_idx" ON "tool_calls" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tool_calls_use_idx" ON "tool_calls" USING btree ("turn_id","tool_use_id");--> statement-breakpoint
CREATE INDEX "turns_chat_idx" ON "turns" USING btree ("chat_id","started_at");