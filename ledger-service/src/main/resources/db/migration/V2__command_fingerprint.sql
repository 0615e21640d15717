-- What the caller asked, hashed (CommandEnvelope.fingerprint): a command id reused for a different
-- request is refused instead of answered with the first request's result. Null for older producers.
ALTER TABLE processed_commands ADD COLUMN fingerprint VARCHAR(128) NULL;
