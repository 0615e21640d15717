package dev.tollgate.ledger.channels;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The probe of auto-disabled channels ({@code tollgate.ledger.probe.*}, TOLLGATE_LEDGER_PROBE_* variables).
 *
 * @param enabled        whether this ledger runs the probe job at all (one ledger at a time runs each round)
 * @param interval       between rounds (TOLLGATE_LEDGER_PROBE_INTERVAL); the job's schedule reads it too
 * @param connectTimeout to connect to an upstream
 * @param timeout        for a whole probe call
 */
@ConfigurationProperties("tollgate.ledger.probe")
public record ChannelProbeProperties(@DefaultValue("true") boolean enabled, @DefaultValue("60s") Duration interval,
        @DefaultValue("5s") Duration connectTimeout, @DefaultValue("15s") Duration timeout) {
}
