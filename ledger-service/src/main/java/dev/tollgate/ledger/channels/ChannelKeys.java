package dev.tollgate.ledger.channels;

import dev.tollgate.contracts.secrets.SecretBox;

/** Decrypts a channel's upstream key for a probe; the plaintext lives only for the call. */
final class ChannelKeys {

    private final SecretBox box;

    ChannelKeys(SecretBox box) {
        this.box = box;
    }

    /**
     * The plaintext key, or null when the channel has none (a local Ollama).
     *
     * @throws IllegalStateException when it cannot be decrypted here (no master key, or another one)
     */
    String decrypt(String ciphertext) {
        if (ciphertext == null || ciphertext.isEmpty()) {
            return null;
        }
        if (box == null) {
            throw new IllegalStateException("TOLLGATE_MASTER_KEY is not set on the ledger");
        }
        try {
            return box.decrypt(ciphertext);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the channel key does not decrypt under this ledger's master key");
        }
    }
}
