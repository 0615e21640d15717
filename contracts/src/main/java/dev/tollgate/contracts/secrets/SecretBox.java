package dev.tollgate.contracts.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for upstream keys under {@code TOLLGATE_MASTER_KEY}. The AES key is the SHA-256 of the master key's
 * text, so any long random string works. Ciphertext: {@code v2.<kid>.} + base64url(iv ‖ ct ‖ tag), where the key id
 * names the master key it was made under ({@code TOLLGATE_MASTER_KEY_ID}, default {@code k1}), so a rotated master
 * key can stay readable ({@code TOLLGATE_MASTER_KEYS_OLD}) until everything is re-encrypted. The older {@code v1.}
 * form, without a key id, is still read: under the current key first, then under each old one.
 */
public final class SecretBox {

    public static final String DEFAULT_KEY_ID = "k1";
    private static final String V1 = "v1.";
    private static final String V2 = "v2.";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentId;
    /** Current key first: v1 texts are tried in this order. */
    private final Map<String, SecretKeySpec> keys;

    private SecretBox(String currentId, Map<String, SecretKeySpec> keys) {
        this.currentId = currentId;
        this.keys = keys;
    }

    /** A box with one master key, under the default key id. */
    public static SecretBox fromMasterKey(String masterKey) {
        return fromConfig(masterKey, DEFAULT_KEY_ID, null);
    }

    /**
     * @param masterKey the current master key (encrypts, and decrypts texts under {@code keyId})
     * @param keyId     the current key's id (null or blank: {@code k1})
     * @param oldKeys   {@code kid:masterKey} pairs, comma-separated, still accepted for decryption (null: none)
     */
    public static SecretBox fromConfig(String masterKey, String keyId, String oldKeys) {
        if (masterKey == null || masterKey.isBlank()) {
            throw new IllegalArgumentException("TOLLGATE_MASTER_KEY is not set");
        }
        String current = keyId == null || keyId.isBlank() ? DEFAULT_KEY_ID : keyId.trim();
        requireKeyId(current, "TOLLGATE_MASTER_KEY_ID");
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        keys.put(current, aesKey(masterKey));
        if (oldKeys != null && !oldKeys.isBlank()) {
            for (String entry : oldKeys.split(",")) {
                String pair = entry.trim();
                int colon = pair.indexOf(':');
                if (pair.isEmpty()) {
                    continue;
                }
                if (colon <= 0 || colon == pair.length() - 1) {
                    throw new IllegalArgumentException("TOLLGATE_MASTER_KEYS_OLD: each entry is kid:key");
                }
                String kid = pair.substring(0, colon);
                requireKeyId(kid, "TOLLGATE_MASTER_KEYS_OLD");
                if (keys.containsKey(kid)) {
                    throw new IllegalArgumentException("TOLLGATE_MASTER_KEYS_OLD: key id " + kid + " given twice");
                }
                keys.put(kid, aesKey(pair.substring(colon + 1)));
            }
        }
        return new SecretBox(current, Collections.unmodifiableMap(keys));
    }

    /** The id new ciphertexts carry. */
    public String currentKeyId() {
        return currentId;
    }

    public String encrypt(String plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, iv));
            byte[] ct = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array();
            return V2 + currentId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** @throws IllegalArgumentException when the text is not ours or was made under a master key not configured here */
    public String decrypt(String ciphertext) {
        if (ciphertext != null && ciphertext.startsWith(V2)) {
            int dot = ciphertext.indexOf('.', V2.length());
            SecretKeySpec key = dot < 0 ? null : keys.get(ciphertext.substring(V2.length(), dot));
            if (key == null) {
                throw new IllegalArgumentException("cannot decrypt: made under a master key id not configured here");
            }
            return open(key, ciphertext.substring(dot + 1));
        }
        if (ciphertext != null && ciphertext.startsWith(V1)) {
            // No key id: GCM's tag tells the right key from a wrong one, so each is tried in turn.
            for (SecretKeySpec key : keys.values()) {
                try {
                    return open(key, ciphertext.substring(V1.length()));
                } catch (IllegalArgumentException wrongKey) {
                    // the next one, then
                }
            }
            throw new IllegalArgumentException("cannot decrypt: wrong master key or damaged ciphertext");
        }
        throw new IllegalArgumentException("not a SecretBox ciphertext");
    }

    /** True when the text is not yet under the current key id (a v1 text, or one under an old key). */
    public boolean needsReencryption(String ciphertext) {
        return ciphertext != null && !ciphertext.isEmpty() && !ciphertext.startsWith(V2 + currentId + ".");
    }

    /** The same plaintext under the current key; the text itself when it already is. */
    public String reencrypt(String ciphertext) {
        return needsReencryption(ciphertext) ? encrypt(decrypt(ciphertext)) : ciphertext;
    }

    private static String open(SecretKeySpec key, String encoded) {
        try {
            byte[] all = Base64.getUrlDecoder().decode(encoded);
            if (all.length <= IV_BYTES) {
                throw new IllegalArgumentException("ciphertext too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            byte[] pt = cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES);
            return new String(pt, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot decrypt: wrong master key or damaged ciphertext");
        }
    }

    private static SecretKeySpec aesKey(String masterKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(masterKey.getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(digest, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireKeyId(String kid, String setting) {
        if (!KEY_ID.matcher(kid).matches()) {
            throw new IllegalArgumentException(setting + ": a key id is 1 to 32 letters, digits, _ or -");
        }
    }
}
