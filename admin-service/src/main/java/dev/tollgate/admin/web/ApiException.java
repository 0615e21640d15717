package dev.tollgate.admin.web;

import org.springframework.http.HttpStatus;

/** A failure the client caused or must know about, answered as {@code {"error":{"code","message"}}}. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public ApiException(HttpStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** 400 {@code invalid_request} naming the field at fault. */
    public static ApiException invalid(String field, String problem) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", field + ": " + problem);
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", what + " not found");
    }

    public static ApiException forbidden() {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", "this call needs the admin role");
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "unauthorized", message);
    }
}
