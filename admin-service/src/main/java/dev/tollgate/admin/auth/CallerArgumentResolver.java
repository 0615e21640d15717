package dev.tollgate.admin.auth;

import dev.tollgate.admin.web.ApiException;
import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Injects the {@link Caller} that {@link AuthWebFilter} put in the Reactor context. */
public class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return Caller.class.equals(parameter.getParameterType());
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext,
            ServerWebExchange exchange) {
        return Mono.deferContextual(ctx -> ctx.<Caller>getOrEmpty(Caller.class)
                .<Mono<Object>>map(Mono::just)
                .orElseGet(() -> Mono.error(ApiException.unauthorized("a valid session token is required"))));
    }
}
