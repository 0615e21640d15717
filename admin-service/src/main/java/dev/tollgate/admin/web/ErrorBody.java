package dev.tollgate.admin.web;

/** The one error shape of the API. */
public record ErrorBody(Detail error) {

    public record Detail(String code, String message) {
    }

    public static ErrorBody of(String code, String message) {
        return new ErrorBody(new Detail(code, message));
    }
}
