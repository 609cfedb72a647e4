-- A dev IdP that kept its data before account_id existed: its live sessions and tokens are found by account too.
UPDATE `oidc` SET `account_id` = json_extract(`payload`, '$.accountId') WHERE `account_id` IS NULL;
