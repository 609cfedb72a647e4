-- Prefix indexes for full-text search: a word typed in part ("acm") is looked up directly, not by merging every word it starts.
DROP TRIGGER IF EXISTS companies_fts_ai;
--> statement-breakpoint
DROP TRIGGER IF EXISTS companies_fts_ad;
--> statement-breakpoint
DROP TRIGGER IF EXISTS companies_fts_au;
--> statement-breakpoint
DROP TABLE IF EXISTS companies_fts;
--> statement-breakpoint
CREATE VIRTUAL TABLE companies_fts USING fts5(account_number, name, domain, description, content='companies', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
--> statement-breakpoint
CREATE TRIGGER companies_fts_ai AFTER INSERT ON companies BEGIN INSERT INTO companies_fts(rowid, account_number, name, domain, description) VALUES (new.id, new.account_number, new.name, new.domain, new.description); END;
--> statement-breakpoint
CREATE TRIGGER companies_fts_ad AFTER DELETE ON companies BEGIN INSERT INTO companies_fts(companies_fts, rowid, account_number, name, domain, description) VALUES ('delete', old.id, old.account_number, old.name, old.domain, old.description); END;
--> statement-breakpoint
CREATE TRIGGER companies_fts_au AFTER UPDATE OF account_number, name, domain, description ON companies BEGIN INSERT INTO companies_fts(companies_fts, rowid, account_number, name, domain, description) VALUES ('delete', old.id, old.account_number, old.name, old.domain, old.description); INSERT INTO companies_fts(rowid, account_number, name, domain, description) VALUES (new.id, new.account_number, new.name, new.domain, new.description); END;
--> statement-breakpoint
INSERT INTO companies_fts(companies_fts) VALUES ('rebuild');
--> statement-breakpoint
DROP TRIGGER IF EXISTS contacts_fts_ai;
--> statement-breakpoint
DROP TRIGGER IF EXISTS contacts_fts_ad;
--> statement-breakpoint
DROP TRIGGER IF EXISTS contacts_fts_au;
--> statement-breakpoint
DROP TABLE IF EXISTS contacts_fts;
--> statement-breakpoint
CREATE VIRTUAL TABLE contacts_fts USING fts5(name, email, job_title, mobile_phone, work_phone, content='contacts', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
--> statement-breakpoint
CREATE TRIGGER contacts_fts_ai AFTER INSERT ON contacts BEGIN INSERT INTO contacts_fts(rowid, name, email, job_title, mobile_phone, work_phone) VALUES (new.id, new.name, new.email, new.job_title, new.mobile_phone, new.work_phone); END;
--> statement-breakpoint
CREATE TRIGGER contacts_fts_ad AFTER DELETE ON contacts BEGIN INSERT INTO contacts_fts(contacts_fts, rowid, name, email, job_title, mobile_phone, work_phone) VALUES ('delete', old.id, old.name, old.email, old.job_title, old.mobile_phone, old.work_phone); END;
--> statement-breakpoint
CREATE TRIGGER contacts_fts_au AFTER UPDATE OF name, email, job_title, mobile_phone, work_phone ON contacts BEGIN INSERT INTO contacts_fts(contacts_fts, rowid, name, email, job_title, mobile_phone, work_phone) VALUES ('delete', old.id, old.name, old.email, old.job_title, old.mobile_phone, old.work_phone); INSERT INTO contacts_fts(rowid, name, email, job_title, mobile_phone, work_phone) VALUES (new.id, new.name, new.email, new.job_title, new.mobile_phone, new.work_phone); END;
--> statement-breakpoint
INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild');
--> statement-breakpoint
DROP TRIGGER IF EXISTS assets_fts_ai;
--> statement-breakpoint
DROP TRIGGER IF EXISTS assets_fts_ad;
--> statement-breakpoint
DROP TRIGGER IF EXISTS assets_fts_au;
--> statement-breakpoint
DROP TABLE IF EXISTS assets_fts;
--> statement-breakpoint
CREATE VIRTUAL TABLE assets_fts USING fts5(hostname, serial_number, description, last_logged_in_user, internal_ip, operating_system, content='assets', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
--> statement-breakpoint
CREATE TRIGGER assets_fts_ai AFTER INSERT ON assets BEGIN INSERT INTO assets_fts(rowid, hostname, serial_number, description, last_logged_in_user, internal_ip, operating_system) VALUES (new.id, new.hostname, new.serial_number, new.description, new.last_logged_in_user, new.internal_ip, new.operating_system); END;
--> statement-breakpoint
CREATE TRIGGER assets_fts_ad AFTER DELETE ON assets BEGIN INSERT INTO assets_fts(assets_fts, rowid, hostname, serial_number, description, last_logged_in_user, internal_ip, operating_system) VALUES ('delete', old.id, old.hostname, old.serial_number, old.description, old.last_logged_in_user, old.internal_ip, old.operating_system); END;
--> statement-breakpoint
CREATE TRIGGER assets_fts_au AFTER UPDATE OF hostname, serial_number, description, last_logged_in_user, internal_ip, operating_system ON assets BEGIN INSERT INTO assets_fts(assets_fts, rowid, hostname, serial_number, description, last_logged_in_user, internal_ip, operating_system) VALUES ('delete', old.id, old.hostname, old.serial_number, old.description, old.last_logged_in_user, old.internal_ip, old.operating_system); INSERT INTO assets_fts(rowid, hostname, serial_number, description, last_logged_in_user, internal_ip, operating_system) VALUES (new.id, new.hostname, new.serial_number, new.description, new.last_logged_in_user, new.internal_ip, new.operating_system); END;
--> statement-breakpoint
INSERT INTO assets_fts(assets_fts) VALUES ('rebuild');
--> statement-breakpoint
DROP TRIGGER IF EXISTS tickets_fts_ai;
--> statement-breakpoint
DROP TRIGGER IF EXISTS tickets_fts_ad;
--> statement-breakpoint
DROP TRIGGER IF EXISTS tickets_fts_au;
--> statement-breakpoint
DROP TABLE IF EXISTS tickets_fts;
--> statement-breakpoint
CREATE VIRTUAL TABLE tickets_fts USING fts5(ticket_number, subject, description, requester_email, content='tickets', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
--> statement-breakpoint
CREATE TRIGGER tickets_fts_ai AFTER INSERT ON tickets BEGIN INSERT INTO tickets_fts(rowid, ticket_number, subject, description, requester_email) VALUES (new.id, new.ticket_number, new.subject, new.description, new.requester_email); END;
--> statement-breakpoint
CREATE TRIGGER tickets_fts_ad AFTER DELETE ON tickets BEGIN INSERT INTO tickets_fts(tickets_fts, rowid, ticket_number, subject, description, requester_email) VALUES ('delete', old.id, old.ticket_number, old.subject, old.description, old.requester_email); END;
--> statement-breakpoint
CREATE TRIGGER tickets_fts_au AFTER UPDATE OF ticket_number, subject, description, requester_email ON tickets BEGIN INSERT INTO tickets_fts(tickets_fts, rowid, ticket_number, subject, description, requester_email) VALUES ('delete', old.id, old.ticket_number, old.subject, old.description, old.requester_email); INSERT INTO tickets_fts(rowid, ticket_number, subject, description, requester_email) VALUES (new.id, new.ticket_number, new.subject, new.description, new.requester_email); END;
--> statement-breakpoint
INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild');
