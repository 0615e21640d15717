package dev.tollgate.admin.config;

import dev.tollgate.admin.auth.Caller;
import dev.tollgate.admin.commands.WriteRequest;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description served at {@code /v3/api-docs} (springdoc reads the controllers). */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    static final String BEARER = "session";

    static {
        // Resolved from the session and the request itself, never sent by a client as parameters.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class, WriteRequest.class);
    }

    @Bean
    OpenAPI tollgateOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Tollgate admin API")
                        .description("Admin and customer API of the Tollgate LLM gateway. Sign in with "
                                + "POST /api/auth/login and send the token as Authorization: Bearer <token>. Errors "
                                + "answer {\"error\": {\"code\", \"message\"}}; writes take an optional "
                                + "Idempotency-Key header.")
                        .version("v1"))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }
}
