package dev.tollgate.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebInputException;

class ApiGuardWebFilterTest {

    private final ApiGuardWebFilter filter = new ApiGuardWebFilter(DataSize.ofMegabytes(1),
            List.of("https://ops.example", " "), new ErrorJsonWebExceptionHandler());

    @Test
    void shouldRefuseBrowserRequestsFromOtherSitesUnlessTheirOriginIsAllowed() {
        assertThat(filter.isForeignSite("cross-site", "https://evil.example")).isTrue();
        assertThat(filter.isForeignSite("same-site", "https://other.tollgate.example")).isTrue();
        assertThat(filter.isForeignSite("cross-site", null)).isTrue();
        assertThat(filter.isForeignSite("cross-site", "https://ops.example")).isFalse();
        assertThat(filter.isForeignSite("same-origin", "https://anything.example")).isFalse();
        assertThat(filter.isForeignSite("none", null)).isFalse();
        assertThat(filter.isForeignSite(null, "https://evil.example")).as("scripts send no Sec-Fetch-Site").isFalse();
    }

    @Test
    void shouldAnswer413WhenTheCodecsLimitStopsAChunkedBody() {
        ErrorJsonWebExceptionHandler.Mapped mapped = ErrorJsonWebExceptionHandler.map(
                new ServerWebInputException("body", null, new DataBufferLimitException("Exceeded limit")));

        assertThat(mapped.status()).isEqualTo(HttpStatus.PAYLOAD_TOO_LARGE);
        assertThat(mapped.body().error().code()).isEqualTo("payload_too_large");
    }
}
