package dev.tollgate.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrMatcherTest {

    @Test
    void shouldAllowEveryAddressWhenListIsEmpty() throws Exception {
        assertThat(CidrMatcher.allows(List.of(), InetAddress.getByName("8.8.8.8"))).isTrue();
    }

    @Test
    void shouldMatchAddressInsideRangeWhenCidrGiven() throws Exception {
        List<String> cidrs = List.of("10.0.0.0/8", "192.168.1.7");
        assertThat(CidrMatcher.allows(cidrs, InetAddress.getByName("10.20.30.40"))).isTrue();
        assertThat(CidrMatcher.allows(cidrs, InetAddress.getByName("192.168.1.7"))).isTrue();
        assertThat(CidrMatcher.allows(cidrs, InetAddress.getByName("192.168.1.8"))).isFalse();
        assertThat(CidrMatcher.allows(cidrs, InetAddress.getByName("11.0.0.1"))).isFalse();
    }

    @Test
    void shouldMatchIpv6WhenCidrIsIpv6() throws Exception {
        assertThat(CidrMatcher.allows(List.of("2001:db8::/32"), InetAddress.getByName("2001:db8::1"))).isTrue();
        assertThat(CidrMatcher.allows(List.of("2001:db8::/32"), InetAddress.getByName("127.0.0.1"))).isFalse();
    }

    @Test
    void shouldNeverResolveHostNamesWhenListHoldsOne() throws Exception {
        assertThat(CidrMatcher.allows(List.of("localhost"), InetAddress.getByName("127.0.0.1"))).isFalse();
    }
}
