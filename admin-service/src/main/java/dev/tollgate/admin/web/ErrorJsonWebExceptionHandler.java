package dev.tollgate.admin.web;

import dev.tollgate.contracts.json.Json;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * Turns every failure into {@code {"error":{"code","message"}}}; runs before Boot's own handler
 * (order -2 &lt; -1) so no stack trace or Whitelabel body ever reaches a client.
 */
@Component
@Order(-2)
public class ErrorJsonWebExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ErrorJsonWebExceptionHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex);
        }
        Mapped mapped = map(ex);
        if (mapped.status() == HttpStatus.SERVICE_UNAVAILABLE && !(ex instanceof ApiException)) {
            log.warn("{} {} failed: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
                    ex.toString());
        } else if (mapped.status().is5xxServerError() && !(ex instanceof ApiException)) {
            log.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
        }
        RetryLaterException retry = find(ex, RetryLaterException.class);
        if (retry != null) {
            response.getHeaders().set(HttpHeaders.RETRY_AFTER,
                    Long.toString(retry.retryAfterSeconds()));
        }
        return write(response, mapped.status(), mapped.body());
    }

    /** Pure mapping, public for tests. */
    public static Mapped map(Throwable ex) {
        ApiException api = find(ex, ApiException.class);
        if (api != null) {
            return new Mapped(api.status(), ErrorBody.of(api.code(), api.getMessage()));
        }
        if (find(ex, DataBufferLimitException.class) != null) {
            return new Mapped(HttpStatus.PAYLOAD_TOO_LARGE,
                    ErrorBody.of("payload_too_large", "the request body is too large"));
        }
        if (ex instanceof WebExchangeBindException bind && bind.getFieldError() != null) {
            String field = bind.getFieldError().getField();
            return invalid(field + ": " + bind.getFieldError().getDefaultMessage());
        }
        if (ex instanceof ServerWebInputException input) {
            return invalid(describeInput(input));
        }
        if (find(ex, DataAccessResourceFailureException.class) != null
                || find(ex, TransientDataAccessException.class) != null) {
            return new Mapped(HttpStatus.SERVICE_UNAVAILABLE,
                    ErrorBody.of("database_unavailable", "the database cannot be reached; retry shortly"));
        }
        if (ex instanceof ResponseStatusException rse) {
            HttpStatusCode code = rse.getStatusCode();
            HttpStatus status = HttpStatus.resolve(code.value());
            String reason = status != null ? status.getReasonPhrase() : "error";
            return new Mapped(status != null ? status : HttpStatus.INTERNAL_SERVER_ERROR,
                    ErrorBody.of(codeOf(code.value()), reason));
        }
        return new Mapped(HttpStatus.INTERNAL_SERVER_ERROR, ErrorBody.of("internal_error", "internal error"));
    }

    private static Mapped invalid(String message) {
        return new Mapped(HttpStatus.BAD_REQUEST, ErrorBody.of("invalid_request", message));
    }

    private static String describeInput(ServerWebInputException input) {
        JacksonException json = find(input, JacksonException.class);
        if (json != null) {
            String field = fieldPath(json.getPath());
            return field.isEmpty() ? "malformed JSON body" : field + ": invalid value";
        }
        if (input.getMethodParameter() != null && input.getMethodParameter().getParameterName() != null
                && !input.getMethodParameter().hasParameterAnnotation(
                        org.springframework.web.bind.annotation.RequestBody.class)) {
            return input.getMethodParameter().getParameterName() + ": invalid or missing value";
        }
        return input.getReason() != null && input.getReason().contains("body")
                ? "a JSON body is required" : "malformed request";
    }

    private static String fieldPath(List<JacksonException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : path) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String codeOf(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "too_many_requests";
            default -> status >= 500 ? "internal_error" : "error";
        };
    }

    private static <T extends Throwable> T find(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static Mono<Void> write(ServerHttpResponse response, HttpStatus status, ErrorBody body) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        DataBuffer buffer = response.bufferFactory().wrap(Json.mapper().writeValueAsBytes(body));
        return response.writeWith(Mono.just(buffer));
    }

    public record Mapped(HttpStatus status, ErrorBody body) {
    }
}
