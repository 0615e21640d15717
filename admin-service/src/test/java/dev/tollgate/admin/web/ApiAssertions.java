package dev.tollgate.admin.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Assertions on {@link ApiException}s shared by the unit tests. */
public final class ApiAssertions {

    private ApiAssertions() {
    }

    /** The call fails with 400 {@code invalid_request} whose message names the field first. */
    public static void assertInvalid(Runnable call, String field) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("invalid_request");
                    assertThat(e.getMessage()).startsWith(field + ":");
                });
    }

    public static void assertApi(Runnable call, int status, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status().value()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
        });
    }
}
