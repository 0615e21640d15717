package dev.tollgate.admin.live;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code liveStream} in /actuator/health: whether the live view follows the usage topic. Not part of readiness:
 * the API works without it, only the dashboard goes stale.
 */
@Component("liveStream")
class LiveHealthIndicator implements HealthIndicator {

    private final LiveStats live;

    LiveHealthIndicator(LiveStats live) {
        this.live = live;
    }

    @Override
    public Health health() {
        Health.Builder b = live.isFollowing() ? Health.up() : Health.down();
        b.withDetail("group", live.groupId());
        if (live.lastError() != null) {
            b.withDetail("lastError", live.lastError());
        }
        return b.build();
    }
}
