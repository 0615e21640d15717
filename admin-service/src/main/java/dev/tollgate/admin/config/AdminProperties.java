package dev.tollgate.admin.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tollgate.admin.*}: secrets come from the environment (TOLLGATE_SESSION_SECRET,
 * TOLLGATE_MASTER_KEY, TOLLGATE_ADMIN_PASSWORD) through application.yml.
 */
@ConfigurationProperties("tollgate.admin")
public record AdminProperties(
        @DefaultValue("10s") Duration commandTimeout,
        String sessionSecret,
        @DefaultValue("12h") Duration sessionTtl,
        String masterKey,
        String initialPassword,
        @DefaultValue("2s") Duration bootstrapRetry) {

    @Override
    public String toString() {
        // Secrets never reach a log through this record.
        return "AdminProperties[commandTimeout=" + commandTimeout + ", sessionTtl=" + sessionTtl
                + ", bootstrapRetry=" + bootstrapRetry + "]";
    }
}
