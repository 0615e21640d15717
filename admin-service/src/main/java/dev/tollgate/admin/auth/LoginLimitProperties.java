package dev.tollgate.admin.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tollgate.admin.login.*}: how hard sign-in may be tried. Counters live in each admin instance's memory,
 * so with N instances behind a balancer an attacker gets up to N times these numbers.
 *
 * @param attemptsPerIp   failed sign-ins plus sign-ups one client address may make per {@code ipWindow}
 * @param ipWindow        the window of {@code attemptsPerIp}
 * @param failuresBeforeLockout consecutive wrong passwords for one username before it is locked
 * @param lockout         the first lockout; each further failure doubles it
 * @param maxLockout      the cap of the doubling
 * @param maxTracked      how many addresses and usernames are remembered (the oldest are forgotten first)
 */
@ConfigurationProperties("tollgate.admin.login")
public record LoginLimitProperties(
        @DefaultValue("30") int attemptsPerIp,
        @DefaultValue("1m") Duration ipWindow,
        @DefaultValue("5") int failuresBeforeLockout,
        @DefaultValue("30s") Duration lockout,
        @DefaultValue("15m") Duration maxLockout,
        @DefaultValue("100000") long maxTracked) {
}
