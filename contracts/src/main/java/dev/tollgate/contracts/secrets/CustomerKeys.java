package dev.tollgate.contracts.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Customer keys: {@code tg-} + 43 base62 characters (256 random bits). Only the SHA-256 of a key
 * and its first 8 characters (for display) are ever stored or sent.
 */
public final class CustomerKeys {

    public static final String PREFIX = "tg-";
    public static final int BODY_LENGTH = 43;
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private CustomerKeys() {
    }

    /** A new key; 43 base62 digits carry 256.07 bits, drawn uniformly digit by digit. */
    public static String generate() {
        StringBuilder sb = new StringBuilder(PREFIX.length() + BODY_LENGTH).append(PREFIX);
        for (int i = 0; i < BODY_LENGTH; i++) {
            sb.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return sb.toString();
    }

    /** Lower-case hex SHA-256 of the key as given. */
    public static String hash(String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** The part shown in lists: the first 8 characters. */
    public static String displayPrefix(String key) {
        return key.length() <= 8 ? key : key.substring(0, 8);
    }

    /** True when the text has the shape of one of our keys (cheap check before a lookup). */
    public static boolean looksValid(String key) {
        if (key == null || key.length() != PREFIX.length() + BODY_LENGTH || !key.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < key.length(); i++) {
            char c = key.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }
}
