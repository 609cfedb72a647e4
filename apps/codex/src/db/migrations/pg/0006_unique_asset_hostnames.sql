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
INSERT INTO asset_contacts (asset_id, contact_id)
SELECT DISTINCT d.kept_id, ac.contact_id
FROM asset_contacts ac JOIN asset_duplicates d ON d.duplicate_id = ac.asset_id
ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO asset_billing_overrides (asset_id, billing_type, custom_cents, updated_at)
SELECT DISTINCT ON (d.kept_id) d.kept_id, o.billing_type, o.custom_cents, o.updated_at
FROM asset_billing_overrides o JOIN asset_duplicates d ON d.duplicate_id = o.asset_id
ORDER BY d.kept_id, o.updated_at DESC
ON CONFLICT (asset_id) DO NOTHING;
--> statement-breakpoint
INSERT INTO audit_log (at, actor, action, entity, entity_id, company_id, before, after)
SELECT now(), 'migration:unique_asset_hostnames', 'delete', 'asset', d.duplicate_id::text, a.company_id,
	jsonb_build_object('hostname', a.hostname, 'merged_into', d.kept_id), NULL
FROM asset_duplicates d JOIN assets a ON a.id = d.duplicate_id;
--> statement-breakpoint
INSERT INTO data_repairs (at, migration, entity, kept_id, removed, detail)
SELECT now(), 'unique_asset_hostnames', 'asset', d.kept_id, count(*),
	'company ' || c.account_number || ', hostname ' || a.hostname
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
