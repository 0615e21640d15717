package dev.tollgate.admin.channels;

import dev.tollgate.admin.config.AdminProperties;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.contracts.secrets.SecretBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Encrypts upstream keys (and sign-in TOTP secrets) under TOLLGATE_MASTER_KEY before they leave this service; reads
 * them under it or one of TOLLGATE_MASTER_KEYS_OLD.
 */
@Component
public class ChannelSecrets {

    private static final Logger log = LoggerFactory.getLogger(ChannelSecrets.class);

    private final SecretBox box;

    public ChannelSecrets(AdminProperties properties) {
        this(properties.masterKey(), SecretBox.DEFAULT_KEY_ID, null);
    }

    /** With the master key's id and the older master keys still read ({@code kid:key,kid:key}). */
    @Autowired
    public ChannelSecrets(AdminProperties properties, @Value("${tollgate.admin.master-key-id:k1}") String masterKeyId,
            @Value("${tollgate.admin.master-keys-old:}") String oldMasterKeys) {
        this(properties.masterKey(), masterKeyId, oldMasterKeys);
    }

    private ChannelSecrets(String masterKey, String masterKeyId, String oldMasterKeys) {
        this.box = masterKey == null || masterKey.isBlank() ? null
                : SecretBox.fromConfig(masterKey, masterKeyId, oldMasterKeys);
        if (box == null) {
            log.warn("TOLLGATE_MASTER_KEY is not set: channels with an apiKey cannot be saved");
        }
    }

    /** The id of the master key new ciphertexts are made under; 503 when there is no master key. */
    public String currentKeyId() {
        if (box == null) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "master_key_missing",
                    "TOLLGATE_MASTER_KEY is not set on the admin service");
        }
        return box.currentKeyId();
    }

    /** Ciphertext of the key, or null when there is no key. */
    public String encrypt(String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            return null;
        }
        if (box == null) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "master_key_missing",
                    "TOLLGATE_MASTER_KEY is not set on the admin service; upstream keys cannot be stored");
        }
        return box.encrypt(apiKey);
    }

    /**
     * The plaintext of a stored key, for a call to the upstream (never answered, never logged); null when the
     * channel has no key.
     */
    public String decrypt(String ciphertext) {
        if (ciphertext == null || ciphertext.isEmpty()) {
            return null;
        }
        if (box == null) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "master_key_missing",
                    "TOLLGATE_MASTER_KEY is not set on the admin service; upstream keys cannot be read");
        }
        try {
            return box.decrypt(ciphertext);
        } catch (IllegalArgumentException e) {
            throw new ApiException(HttpStatus.CONFLICT, "key_unreadable",
                    "the channel's key does not decrypt under this service's TOLLGATE_MASTER_KEY; set the key again");
        }
    }
}
