-- Reasoning tokens get a price class of their own. 0 (every existing row) prices reasoning as output,
-- as before; a positive rate prices the reasoning part of the output at it (Cost.micros).
ALTER TABLE prices ADD COLUMN reasoning_micros_per_mtok BIGINT NOT NULL DEFAULT 0;

-- A journal ref holds a command id whole: as wide as processed_commands.command_id and the longest id the
-- ledger accepts (CommandConsumer, 128), so a scoped Idempotency-Key id ("idem:" + 64 hex = 69) or any other
-- accepted id fits and no cut is needed. Rows written before this migration hold ids cut to their first 64
-- characters; the admin's lookup by ref matches the whole id or that cut (UserController.legacyJournalRef).
-- Usage batch refs (request_log.batch_ref) are UUIDs and stay VARCHAR(64).
ALTER TABLE journal MODIFY COLUMN ref VARCHAR(128) NOT NULL;
