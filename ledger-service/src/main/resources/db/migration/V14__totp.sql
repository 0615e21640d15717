-- Optional TOTP (RFC 6238) for sign-in: the secret is encrypted under the master key like channel keys
-- (SecretBox v2.<kid>.…); it is set by a setup and only demanded at sign-in once enabled with a valid code.
ALTER TABLE users ADD COLUMN totp_secret_enc TEXT NULL;
ALTER TABLE users ADD COLUMN totp_enabled BOOLEAN NOT NULL DEFAULT FALSE;
