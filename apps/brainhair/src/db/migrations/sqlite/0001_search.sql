-- Full-text search over chat titles and the text of messages (what the person and the assistant wrote).
CREATE VIRTUAL TABLE `chats_fts` USING fts5(`title`, content='chats', content_rowid='rowid', tokenize='unicode61');
--> statement-breakpoint
CREATE TRIGGER `chats_fts_insert` AFTER INSERT ON `chats` BEGIN
  INSERT INTO `chats_fts`(rowid, `title`) VALUES (new.rowid, new.`title`);
END;
--> statement-breakpoint
CREATE TRIGGER `chats_fts_delete` AFTER DELETE ON `chats` BEGIN
  INSERT INTO `chats_fts`(`chats_fts`, rowid, `title`) VALUES ('delete', old.rowid, old.`title`);
END;
--> statement-breakpoint
CREATE TRIGGER `chats_fts_update` AFTER UPDATE OF `title` ON `chats` BEGIN
  INSERT INTO `chats_fts`(`chats_fts`, rowid, `title`) VALUES ('delete', old.rowid, old.`title`);
  INSERT INTO `chats_fts`(rowid, `title`) VALUES (new.rowid, new.`title`);
END;
--> statement-breakpoint
CREATE VIRTUAL TABLE `messages_fts` USING fts5(`shown`, content='messages', content_rowid='id', tokenize='unicode61');
--> statement-breakpoint
CREATE TRIGGER `messages_fts_insert` AFTER INSERT ON `messages` BEGIN
  INSERT INTO `messages_fts`(rowid, `shown`) VALUES (new.`id`, new.`shown`);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_delete` AFTER DELETE ON `messages` BEGIN
  INSERT INTO `messages_fts`(`messages_fts`, rowid, `shown`) VALUES ('delete', old.`id`, old.`shown`);
END;
