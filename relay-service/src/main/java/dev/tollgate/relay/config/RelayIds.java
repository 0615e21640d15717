package dev.tollgate.relay.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** This relay's id: TOLLGATE_RELAY_ID, else the host name plus a random suffix. */
final class RelayIds {

    private RelayIds() {
    }

    static String resolve(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "relay";
        }
        byte[] suffix = new byte[3];
        new SecureRandom().nextBytes(suffix);
        String id = host + "-" + HexFormat.of().formatHex(suffix);
        // relay_seqs.relay_id is VARCHAR(128)
        return id.length() > 128 ? id.substring(id.length() - 128) : id;
    }
}
