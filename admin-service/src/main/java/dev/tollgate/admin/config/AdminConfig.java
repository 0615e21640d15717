package dev.tollgate.admin.config;

import dev.tollgate.admin.auth.CallerArgumentResolver;
import dev.tollgate.admin.auth.LoginLimitProperties;
import dev.tollgate.admin.auth.LoginThrottle;
import dev.tollgate.admin.auth.RevokedSessions;
import dev.tollgate.admin.auth.SessionTokens;
import dev.tollgate.admin.commands.WriteRequestArgumentResolver;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

/** Wiring that is not a plain component. */
@Configuration(proxyBeanMethods = false)
public class AdminConfig {

    private static final Logger log = LoggerFactory.getLogger(AdminConfig.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    SessionTokens sessionTokens(AdminProperties properties, Clock clock) {
        String secret = properties.sessionSecret();
        if (secret == null || secret.isBlank()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            secret = Base64.getEncoder().encodeToString(random);
            log.warn("TOLLGATE_SESSION_SECRET is not set: using a random secret, so sessions will not survive "
                    + "a restart and will not work across admin instances");
        }
        return new SessionTokens(secret, properties.sessionTtl(), clock);
    }

    @Bean
    LoginThrottle loginThrottle(LoginLimitProperties limits, Clock clock) {
        return new LoginThrottle(limits, clock);
    }

    @Bean
    RevokedSessions revokedSessions(LoginLimitProperties limits, AdminProperties properties, Clock clock) {
        return new RevokedSessions(clock, limits.maxTracked(), properties.sessionTtl());
    }

    @Bean
    WebFluxConfigurer callerArgument() {
        return new WebFluxConfigurer() {
            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(new CallerArgumentResolver());
                configurer.addCustomResolver(new WriteRequestArgumentResolver());
            }
        };
    }
}
