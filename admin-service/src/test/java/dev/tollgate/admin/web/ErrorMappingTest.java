package dev.tollgate.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.core.exc.StreamReadException;

class ErrorMappingTest {

    @Test
    void shouldAnswer400InvalidRequestWhenBodyIsMalformed() {
        var decoding = new DecodingException("JSON decoding error", new StreamReadException(null, "Unexpected character"));
        var mapped = ErrorJsonWebExceptionHandler.map(new ServerWebInputException("Failed to read HTTP message",
                null, decoding));

        assertThat(mapped.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(mapped.body().error().code()).isEqualTo("invalid_request");
        assertThat(mapped.body().error().message()).isEqualTo("malformed JSON body");
    }

    @Test
    void shouldHideDetailsWhenFailureIsUnexpected() {
        var mapped = ErrorJsonWebExceptionHandler.map(new IllegalStateException("db password is hunter2"));

        assertThat(mapped.status()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(mapped.body().error().code()).isEqualTo("internal_error");
        assertThat(mapped.body().error().message()).doesNotContain("hunter2");
    }

    @Test
    void shouldAnswer503WhenDatabaseCannotBeReached() {
        var mapped = ErrorJsonWebExceptionHandler.map(
                new org.springframework.dao.DataAccessResourceFailureException("Failed to obtain R2DBC Connection"));

        assertThat(mapped.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(mapped.body().error().code()).isEqualTo("database_unavailable");
    }

    @Test
    void shouldKeepStatusWhenFrameworkRaisesOne() {
        var mapped = ErrorJsonWebExceptionHandler.map(new ResponseStatusException(HttpStatus.NOT_FOUND));

        assertThat(mapped.status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(mapped.body().error().code()).isEqualTo("not_found");
    }

    @Test
    void shouldUseApiExceptionWhenWrappedByDeserialisation() {
        var mapped = ErrorJsonWebExceptionHandler.map(new RuntimeException(ApiException.invalid("name", "required")));

        assertThat(mapped.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(mapped.body().error().message()).isEqualTo("name: required");
    }

    @Test
    void shouldBoundPageSizeWhenPaging() {
        assertThat(Paging.of(null, null)).isEqualTo(new Paging(0, 20));
        assertThat(Paging.of(3, 200).offset()).isEqualTo(600);
        ApiAssertions.assertApi(() -> Paging.of(0, 201), 400, "invalid_request");
        ApiAssertions.assertApi(() -> Paging.of(-1, 10), 400, "invalid_request");
    }
}
