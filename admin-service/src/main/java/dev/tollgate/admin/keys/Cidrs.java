package dev.tollgate.admin.keys;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Checks that a text is an IP address or a CIDR block, without ever resolving a host name. */
final class Cidrs {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private Cidrs() {
    }

    static boolean isValid(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        String address = text;
        Integer prefix = null;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            address = text.substring(0, slash);
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        boolean v4 = IPV4.matcher(address).matches();
        boolean v6 = !v4 && address.contains(":") && IPV6.matcher(address).matches();
        if (!v4 && !v6) {
            return false;
        }
        try {
            // Literal addresses only (checked above), so this never does a DNS lookup.
            InetAddress parsed = InetAddress.getByName(address);
            int bits = parsed.getAddress().length * 8;
            return prefix == null || (prefix >= 0 && prefix <= bits);
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
