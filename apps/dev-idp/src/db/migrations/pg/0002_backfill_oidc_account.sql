-- SQLite's repair, kept so both engines share one history: the dev IdP kept data only in SQLite before account_id.
UPDATE "oidc" SET "account_id" = "payload"->>'accountId' WHERE "account_id" IS NULL;
