package dev.tollgate.admin.db;

import dev.tollgate.admin.web.ApiException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ReadBackTest {

    private record Row(String name, long version) {
    }

    @Test
    void shouldReadAgainUntilTheRowHasTheCommittedVersionWhenReplicaLags() {
        AtomicInteger reads = new AtomicInteger();
        List<Row> replica = List.of(new Row("old", 3), new Row("old", 3), new Row("new", 4));
        Mono<Row> read = Mono.fromSupplier(() -> replica.get(Math.min(reads.getAndIncrement(), replica.size() - 1)));

        StepVerifier.create(ReadBack.atVersion(read, Row::version, 4))
                .expectNext(new Row("new", 4))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void shouldAcceptANewerVersionWhenAnotherChangeCameAfter() {
        StepVerifier.create(ReadBack.atVersion(Mono.just(new Row("newer", 6)), Row::version, 4))
                .expectNext(new Row("newer", 6))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void shouldAnswer503WhenTheVersionNeverShows() {
        StepVerifier.withVirtualTime(() -> ReadBack.atVersion(Mono.just(new Row("old", 3)), Row::version, 4))
                .thenAwait(Duration.ofSeconds(10))
                .expectErrorSatisfies(e -> org.assertj.core.api.Assertions.assertThat(e)
                        .isInstanceOfSatisfying(ApiException.class, api -> {
                            org.assertj.core.api.Assertions.assertThat(api.status().value()).isEqualTo(503);
                            org.assertj.core.api.Assertions.assertThat(api.code()).isEqualTo("read_lag");
                        }))
                .verify(Duration.ofSeconds(5));
    }
}
