package dev.tollgate.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private final SessionTokensTest.MutableClock clock = new SessionTokensTest.MutableClock(NOW);
    private final LoginThrottle throttle = new LoginThrottle(
            new LoginLimitProperties(3, Duration.ofMinutes(1), 5, Duration.ofSeconds(30), Duration.ofMinutes(2), 1000),
            clock);

    @Test
    void shouldRefuseAddressWhenItsWindowIsUsedUpAndAdmitAgainInTheNext() {
        throttle.countAddress("10.0.0.1");
        throttle.countAddress("10.0.0.1");
        assertThat(throttle.addressBlocked("10.0.0.1")).isEmpty();
        throttle.countAddress("10.0.0.1");
        clock.now = NOW.plusSeconds(20);

        assertThat(throttle.addressBlocked("10.0.0.1")).contains(Duration.ofSeconds(40));
        assertThat(throttle.addressBlocked("10.0.0.2")).isEmpty();
        clock.now = NOW.plusSeconds(60);
        assertThat(throttle.addressBlocked("10.0.0.1")).isEmpty();
        throttle.countAddress("10.0.0.1");
        assertThat(throttle.addressBlocked("10.0.0.1")).isEmpty();
    }

    @Test
    void shouldNotCountSuccessfulSignInsAgainstTheAddressWhenRefunded() {
        for (int i = 0; i < 10; i++) {
            throttle.countAddress("10.0.0.1");
            throttle.refundAddress("10.0.0.1");
        }

        assertThat(throttle.addressBlocked("10.0.0.1")).isEmpty();
    }

    @Test
    void shouldLockUsernameAfterFiveFailuresAndDoubleEachFurtherFailureUpToTheCap() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("alice");
        }
        assertThat(throttle.lockedFor("alice")).isEmpty();

        throttle.failed("alice");
        assertThat(throttle.lockedFor("alice")).contains(Duration.ofSeconds(30));
        assertThat(throttle.lockedFor("ALICE ")).as("one user however it is spelled").isPresent();
        assertThat(throttle.lockedFor("bob")).isEmpty();

        clock.now = NOW.plusSeconds(30);
        assertThat(throttle.lockedFor("alice")).isEmpty();
        throttle.failed("alice");
        assertThat(throttle.lockedFor("alice")).contains(Duration.ofSeconds(60));
        throttle.failed("alice");
        assertThat(throttle.lockedFor("alice")).contains(Duration.ofSeconds(120));
        throttle.failed("alice");
        assertThat(throttle.lockedFor("alice")).contains(Duration.ofMinutes(2));
    }

    @Test
    void shouldForgetFailuresWhenSignInSucceeds() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("alice");
        }
        throttle.succeeded("alice");
        throttle.failed("alice");

        assertThat(throttle.lockedFor("alice")).isEmpty();
    }

    @Test
    void shouldCapBackoffWithoutOverflowWhenFailuresGoOnForever() {
        assertThat(throttle.lockout(0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(throttle.lockout(1)).isEqualTo(Duration.ofSeconds(60));
        assertThat(throttle.lockout(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(2));
    }
}
