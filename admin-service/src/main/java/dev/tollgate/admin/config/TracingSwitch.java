package dev.tollgate.admin.config;

import dev.tollgate.contracts.tracing.TracingSettings;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns tracing on or off from TOLLGATE_OTLP_ENDPOINT and TOLLGATE_TRACE_SAMPLING as {@link TracingSettings} says,
 * below every other property source: an explicit property still wins.
 */
public final class TracingSwitch implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("tollgateTracing", TracingSettings.properties(
                environment.getProperty(TracingSettings.ENDPOINT, ""),
                environment.getProperty(TracingSettings.SAMPLING, ""),
                environment.getProperty(TracingSettings.FORCED, Boolean.class, false))));
    }
}
