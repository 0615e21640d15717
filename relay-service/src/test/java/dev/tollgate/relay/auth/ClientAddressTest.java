package dev.tollgate.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private static final ClientAddress BEHIND_PROXIES = new ClientAddress(List.of("10.0.0.0/8", "fd00::/8"));

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void shouldTakeTheSocketPeerWhenNoProxyIsTrusted() throws Exception {
        ClientAddress none = new ClientAddress(List.of());

        assertThat(none.resolve(ip("10.1.2.3"), List.of("203.0.113.9"))).isEqualTo(ip("10.1.2.3"));
    }

    @Test
    void shouldIgnoreASpoofedForwardedForWhenThePeerIsNotATrustedProxy() throws Exception {
        assertThat(BEHIND_PROXIES.resolve(ip("198.51.100.7"), List.of("10.9.9.9, 192.0.2.1")))
                .isEqualTo(ip("198.51.100.7"));
    }

    @Test
    void shouldTakeTheRightmostUntrustedHopWhenThePeerIsATrustedProxy() throws Exception {
        // The client put "192.0.2.66" in front itself; the trusted proxies appended what they saw.
        assertThat(BEHIND_PROXIES.resolve(ip("10.0.0.5"), List.of("192.0.2.66, 203.0.113.9", "10.0.0.4")))
                .isEqualTo(ip("203.0.113.9"));
    }

    @Test
    void shouldTakeTheLeftmostHopWhenEveryHopIsATrustedProxy() throws Exception {
        assertThat(BEHIND_PROXIES.resolve(ip("10.0.0.5"), List.of("10.0.0.7, 10.0.0.6"))).isEqualTo(ip("10.0.0.7"));
        assertThat(BEHIND_PROXIES.resolve(ip("10.0.0.5"), List.of())).as("no header: the proxy itself")
                .isEqualTo(ip("10.0.0.5"));
    }

    @Test
    void shouldReadPortsAndIpv6AndGiveNoAddressWhenAHopIsGarbage() throws Exception {
        assertThat(BEHIND_PROXIES.resolve(ip("10.0.0.5"), List.of("203.0.113.9:4711"))).isEqualTo(ip("203.0.113.9"));
        assertThat(BEHIND_PROXIES.resolve(ip("fd00::1"), List.of("[2001:db8::7]:443"))).isEqualTo(ip("2001:db8::7"));
        assertThat(BEHIND_PROXIES.resolve(ip("10.0.0.5"), List.of("2001:db8::8"))).isEqualTo(ip("2001:db8::8"));
        assertThat(BEHIND_PROXIES.resolve(ip("10.0.0.5"), List.of("example.com"))).isNull();
        assertThat(BEHIND_PROXIES.resolve(ip("10.0.0.5"), List.of("999.1.1.1"))).isNull();
        assertThat(BEHIND_PROXIES.resolve(ip("10.0.0.5"), List.of("192.0.2.1, unknown"))).isNull();
    }

    @Test
    void shouldNeverLookUpANameWhenParsingAHop() {
        assertThat(ClientAddress.literal("localhost")).isNull();
        assertThat(ClientAddress.literal("1.2.3")).isNull();
        assertThat(ClientAddress.literal("[::1")).isNull();
    }
}
