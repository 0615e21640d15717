package dev.tollgate.admin.auth;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Part of readiness: an admin service without any admin user cannot be used yet. */
@Component
public class AdminBootstrapHealthIndicator implements HealthIndicator {

    private final AdminBootstrapper bootstrapper;

    public AdminBootstrapHealthIndicator(AdminBootstrapper bootstrapper) {
        this.bootstrapper = bootstrapper;
    }

    @Override
    public Health health() {
        return bootstrapper.adminExists()
                ? Health.up().build()
                : Health.down().withDetail("reason", "waiting for the ledger to create the admin user").build();
    }
}
