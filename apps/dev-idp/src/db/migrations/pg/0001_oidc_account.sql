ALTER TABLE "oidc" ADD COLUMN "account_id" text;--> statement-breakpoint
CREATE INDEX "oidc_account" ON "oidc" USING btree ("account_id");