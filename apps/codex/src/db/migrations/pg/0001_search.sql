-- Full-text search over companies, contacts, assets and tickets (src/data/search.ts queries it).
CREATE INDEX companies_fts_idx ON companies USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(account_number, '') || ' ' || coalesce(name, '') || ' ' || coalesce(domain, '') || ' ' || coalesce(description, ''), '[^[:alnum:]]+', ' ', 'g')));
--> statement-breakpoint
CREATE INDEX contacts_fts_idx ON contacts USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(job_title, '') || ' ' || coalesce(mobile_phone, '') || ' ' || coalesce(work_phone, ''), '[^[:alnum:]]+', ' ', 'g')));
--> statement-breakpoint
CREATE INDEX assets_fts_idx ON assets USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(hostname, '') || ' ' || coalesce(serial_number, '') || ' ' || coalesce(description, '') || ' ' || coalesce(last_logged_in_user, '') || ' ' || coalesce(internal_ip, '') || ' ' || coalesce(operating_system, ''), '[^[:alnum:]]+', ' ', 'g')));
--> statement-breakpoint
CREATE INDEX tickets_fts_idx ON tickets USING gin (to_tsvector('simple'::regconfig, regexp_replace(coalesce(ticket_number, '') || ' ' || coalesce(subject, '') || ' ' || coalesce(description, '') || ' ' || coalesce(requester_email, ''), '[^[:alnum:]]+', ' ', 'g')));
