-- Assets without an external id are matched by company + hostname, and concurrent upserts made
-- copies of them. Keep the oldest of each set, give it the copies' contact links and (newest)
-- billing override, delete the copies with an audit row each, record every merge in data_repairs
-- (Codex logs them at its next start), then make company + hostname unique for such assets.
CREATE TEMP TABLE asset_duplicates AS
SELECT a.id AS duplicate_id, k.kept_id
FROM assets a
JOIN (
	SELECT company_id, hostname, min(id) AS kept_id
	FROM assets
	WHERE external_id IS NULL
	GROUP BY company_id, hostname
	HAVING count(*) > 1
) k ON k.company_id = a.company_id AND k.hostname = a.hostname
WHERE a.external_id IS NULL AND a.id <> k.kept_id;
--> statement-breakpoint
INSERT OR IGNORE INTO asset_contacts (asset_id, contact_id)
SELECT DISTINCT d.kept_id, ac.contact_id
FROM asset_contacts ac JOIN asset_duplicates d ON d.duplicate_id = ac.asset_id;
--> statement-breakpoint
INSERT OR IGNORE INTO asset_billing_overrides (asset_id, billing_type, custom_cents, updated_at)
SELECT d.kept_id, o.billing_type, o.custom_cents, o.updated_at
FROM asset_billing_overrides o JOIN asset_duplicates d ON d.duplicate_id = o.asset_id
WHERE o.updated_at = (
	SELECT max(o2.updated_at)
	FROM asset_billing_overrides o2 JOIN asset_duplicates d2 ON d2.duplicate_id = o2.asset_id
	WHERE d2.kept_id = d.kept_id
);
--> statement-breakpoint
INSERT INTO audit_log (at, actor, action, entity, entity_id, company_id, before, after)
SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), 'migration:unique_asset_hostnames', 'delete',
	'asset', CAST(d.duplicate_id AS TEXT), a.company_id,
	json_object('hostname', a.hostname, 'merged_into', d.kept_id), NULL
FROM asset_duplicates d JOIN assets a ON a.id = d.duplicate_id;
--> statement-breakpoint
INSERT INTO data_repairs (at, migration, entity, kept_id, removed, detail)
SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), 'unique_asset_hostnames', 'asset', d.kept_id,
	count(*), 'company ' || c.account_number || ', hostname ' || a.hostname
FROM asset_duplicates d
JOIN assets a ON a.id = d.kept_id
JOIN companies c ON c.id = a.company_id
GROUP BY d.kept_id, c.account_number, a.hostname
ORDER BY d.kept_id;
--> statement-breakpoint
DELETE FROM assets WHERE id IN (SELECT duplicate_id FROM asset_duplicates);
--> statement-breakpoint
DROP TABLE asset_duplicates;
--> statement-breakpoint
CREATE UNIQUE INDEX assets_company_hostname_uq ON assets (company_id, hostname) WHERE external_id IS NULL;
