CREATE TABLE "freshservice_writebacks" (
	"id" serial PRIMARY KEY NOT NULL,
	"ticket_id" integer NOT NULL,
	"entry_id" integer,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"state" text NOT NULL,
	"attempts" integer NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"claimed_until" timestamp with time zone,
	"claimed_by" text,
	"uncertain" boolean NOT NULL,
	"last_error" text,
	"last_status" integer,
	"external_id" text,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "freshservice_writebacks" ADD CONSTRAINT "freshservice_writebacks_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "freshservice_writebacks" ADD CONSTRAINT "freshservice_writebacks_entry_id_ticket_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."ticket_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "freshservice_writebacks_due_idx" ON "freshservice_writebacks" USING btree ("state","next_attempt_at","id");--> statement-breakpoint
CREATE INDEX "freshservice_writebacks_ticket_idx" ON "freshservice_writebacks" USING btree ("ticket_id","id");