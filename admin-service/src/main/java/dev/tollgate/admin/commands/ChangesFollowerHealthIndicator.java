package dev.tollgate.admin.commands;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether the changes topic is followed: without it every write waits for a result it cannot read and
 * answers 503. Not part of readiness (reads still work), but it shows in health while the follower recovers.
 */
@Component("changesFollower")
class ChangesFollowerHealthIndicator implements HealthIndicator {

    private final CommandGateway gateway;

    ChangesFollowerHealthIndicator(CommandGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public Health health() {
        return health(gateway.followerStatus());
    }

    static Health health(ChangesFollower.Status status) {
        Health.Builder builder = status.following() ? Health.up() : Health.down();
        builder.withDetail("following", status.following())
                .withDetail("restarts", status.restarts());
        if (status.lastError() != null) {
            builder.withDetail("lastError", status.lastError())
                    .withDetail("lastErrorAt", status.lastErrorAt().toString());
        }
        return builder.build();
    }
}
