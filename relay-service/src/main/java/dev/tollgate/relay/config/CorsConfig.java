package dev.tollgate.relay.config;

import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/**
 * CORS on the API paths, so browser clients (the admin web UI's playground) can call the relay from another origin.
 * Keys travel in headers, never cookies, so no credentials are allowed and any origin is safe by default;
 * {@code TOLLGATE_RELAY_CORS_ORIGINS} narrows it (comma-separated origins), or switches it off with {@code none}.
 */
@Configuration(proxyBeanMethods = false)
class CorsConfig {

    @Bean
    CorsWebFilter relayCors(@Value("${TOLLGATE_RELAY_CORS_ORIGINS:*}") String origins) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        List<String> allowed = parse(origins);
        if (!allowed.isEmpty()) {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOriginPatterns(allowed);
            cors.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
            cors.setAllowedHeaders(List.of("*"));
            cors.setExposedHeaders(List.of("x-request-id", "request-id", "retry-after"));
            cors.setAllowCredentials(false);
            cors.setMaxAge(3600L);
            source.registerCorsConfiguration("/v1/**", cors);
            source.registerCorsConfiguration("/v1beta/**", cors);
        }
        return new CorsWebFilter(source);
    }

    static List<String> parse(String origins) {
        if (origins == null || origins.isBlank() || origins.trim().equalsIgnoreCase("none")) {
            return List.of();
        }
        return Arrays.stream(origins.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
