package dev.tollgate.relay.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Matches a client address against a key's allowed CIDRs (IPv4 and IPv6; a bare address is a /32 or /128). */
public final class CidrMatcher {

    private CidrMatcher() {
    }

    /** True when the list is empty or one entry contains the address. */
    public static boolean allows(List<String> cidrs, InetAddress address) {
        if (cidrs.isEmpty()) {
            return true;
        }
        if (address == null) {
            return false;
        }
        for (String cidr : cidrs) {
            if (contains(cidr, address)) {
                return true;
            }
        }
        return false;
    }

    static boolean contains(String cidr, InetAddress address) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        try {
            // Only literal addresses: never resolve a name from a key's configuration.
            if (!looksLiteral(slash < 0 ? text : text.substring(0, slash))) {
                return false;
            }
            InetAddress network = InetAddress.getByName(slash < 0 ? text : text.substring(0, slash));
            byte[] net = network.getAddress();
            byte[] addr = address.getAddress();
            if (net.length != addr.length) {
                return false;
            }
            int bits = slash < 0 ? net.length * 8 : Integer.parseInt(text.substring(slash + 1));
            if (bits < 0 || bits > net.length * 8) {
                return false;
            }
            for (int i = 0; i < net.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
                if ((net[i] & mask) != (addr[i] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    private static boolean looksLiteral(String host) {
        return !host.isEmpty() && (host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
    }
}
