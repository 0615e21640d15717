package dev.tollgate.admin.redemptions;

import dev.tollgate.contracts.secrets.CustomerKeys;
import java.security.SecureRandom;

/**
 * Redemption codes: {@code tgr-} + 24 base62 characters (about 143 random bits). Like customer keys,
 * only the SHA-256 and the first 8 characters ever leave the admin service.
 */
final class RedemptionCodes {

    static final String PREFIX = "tgr-";
    static final int BODY_LENGTH = 24;
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RedemptionCodes() {
    }

    static String generate() {
        StringBuilder sb = new StringBuilder(PREFIX.length() + BODY_LENGTH).append(PREFIX);
        for (int i = 0; i < BODY_LENGTH; i++) {
            sb.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return sb.toString();
    }

    static String hash(String code) {
        return CustomerKeys.hash(code);
    }

    static String displayPrefix(String code) {
        return CustomerKeys.displayPrefix(code);
    }

    /** True when the text has the shape of a code: a cheap check before anything is sent. */
    static boolean looksValid(String code) {
        if (code == null || code.length() != PREFIX.length() + BODY_LENGTH || !code.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < code.length(); i++) {
            char c = code.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }
}
