package dev.tollgate.relay.auth;

import dev.tollgate.relay.api.Rejection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * The client's address for a key's CIDR allow-list: the socket peer, unless the peer is one of the configured trusted
 * proxies ({@code tollgate.relay.trusted-proxies}); then the rightmost {@code X-Forwarded-For} address that is not
 * itself a trusted proxy (each trusted hop appends the address it saw, so everything left of the first untrusted hop
 * may be forged). An {@code X-Forwarded-For} from any other peer is ignored: a client cannot spoof its way in.
 */
public class ClientAddress {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    private static final String NOT_ALLOWED = "This API key may not be used from your IP address.";

    private final List<String> trustedProxies;

    /** @param trustedProxies CIDR blocks or addresses of the proxies in front of the relay; null or empty: none */
    public ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies == null ? List.of()
                : trustedProxies.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Throws IP_NOT_ALLOWED (403) when the key has an allow-list that does not hold the request's client address. */
    public void check(ServerRequest request, Principal principal) {
        if (principal.key().allowedCidrs().isEmpty()) {
            return;
        }
        if (!CidrMatcher.allows(principal.key().allowedCidrs(), resolve(request))) {
            throw Rejection.of(Rejection.Kind.IP_NOT_ALLOWED, NOT_ALLOWED);
        }
    }

    /** The client's address for this request; null when it cannot be told (then only an empty allow-list passes). */
    public InetAddress resolve(ServerRequest request) {
        InetAddress peer = request.remoteAddress()
                .map(InetSocketAddress::getAddress)
                .orElse(null);
        return resolve(peer, request.headers().header(FORWARDED_FOR));
    }

    /** @param forwardedFor the {@code X-Forwarded-For} header values, in the order received */
    InetAddress resolve(InetAddress peer, List<String> forwardedFor) {
        if (peer == null || !trusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String hop : value.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(hops.get(i));
            if (hop == null) {
                // Garbage where an address should be: nothing to the right of it vouches for anything.
                return null;
            }
            client = hop;
            if (!trusted(hop)) {
                return hop;
            }
        }
        // Every hop is a trusted proxy: the leftmost is as far as we can see.
        return client;
    }

    private boolean trusted(InetAddress address) {
        for (String cidr : trustedProxies) {
            if (CidrMatcher.contains(cidr, address)) {
                return true;
            }
        }
        return false;
    }

    /** A literal IPv4 or IPv6 address, also with a port ({@code 1.2.3.4:80}, {@code [::1]:80}); never a name lookup. */
    static InetAddress literal(String text) {
        String host = text;
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            if (end < 0) {
                return null;
            }
            host = host.substring(1, end);
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            host = host.substring(0, host.indexOf(':'));
        }
        try {
            if (host.indexOf(':') >= 0) {
                // With a colon InetAddress parses an IPv6 literal or fails; it never looks a name up.
                boolean hexOnly = host.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
                return hexOnly ? InetAddress.getByName(host) : null;
            }
            return ipv4(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Four decimal octets, parsed here: an invalid one handed to InetAddress would be looked up as a name. */
    private static InetAddress ipv4(String host) throws UnknownHostException {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return InetAddress.getByAddress(bytes);
    }
}
