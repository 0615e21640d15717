package dev.tollgate.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay benchmark's arithmetic: wrk's summary, percentiles, bunching and the targets' verdicts. */
class RelayBenchReportTest {

    @Test
    void shouldReadWrkSummaryLineInMicroseconds() {
        Wrk.Result r = Wrk.parse("TG requests=30000 duration_us=15000000 p50=51234 p99=53999 max=80000 non2xx=2 errors=1");

        assertThat(r.rps()).isEqualTo(2000.0);
        assertThat(r.p50Us()).isEqualTo(51_234);
        assertThat(r.p99Us()).isEqualTo(53_999);
        assertThat(r.non2xx()).isEqualTo(2);
        assertThat(r.socketErrors()).isEqualTo(1);
    }

    @Test
    void shouldTakeNearestRankPercentiles() {
        long[] values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i; // unsorted on purpose
        }
        assertThat(StreamLoad.percentile(values, 50)).isEqualTo(50);
        assertThat(StreamLoad.percentile(values, 99)).isEqualTo(99);
        assertThat(StreamLoad.percentile(new long[0], 99)).isZero();
    }

    @Test
    void shouldCountChunksArrivingTogetherAsBunched() {
        long ms = 1_000_000;
        StreamLoad.Stream spaced = new StreamLoad.Stream(ms, 40 * ms, new long[] {ms, 11 * ms, 21 * ms, 31 * ms},
                true, true, null);
        StreamLoad.Stream heldBack = new StreamLoad.Stream(ms, 40 * ms, new long[] {30 * ms, 30 * ms + 10, 31 * ms, 40 * ms},
                true, true, null);
        StreamLoad.Result result = new StreamLoad.Result(List.of(spaced, heldBack), 1);

        assertThat(result.bunchedPercent(3 * ms)).isEqualTo(100.0 * 2 / 6);
        assertThat(result.ok()).isEqualTo(2);
        assertThat(result.dropped()).isZero();
    }

    @Test
    void shouldJudgeTargetsFromWorstRun() {
        Report report = new Report();
        Wrk.Result direct = Wrk.parse("TG requests=1000 duration_us=1000000 p50=50000 p99=52000 max=60000 non2xx=0 errors=0");
        Wrk.Result relay = Wrk.parse("TG requests=1000 duration_us=1000000 p50=50300 p99=55000 max=70000 non2xx=0 errors=0");
        report.plain("chat 50 ms", "relay", relay, direct, 120, 300L << 20);
        report.addedP50 = 0.3;
        report.addedP99 = 3.0;
        report.cpuAt50 = 120;

        String table = report.render();

        assertThat(table).contains("| chat 50 ms | relay | 1,000 | 50.30 ms | 55.00 ms | +0.30 ms | +3.00 ms | 120 | 300 MB | 0 |");
        assertThat(table).contains("added p50, non-streaming, upstream 50 ms | ≤ 0.5 ms | 0.30 ms — met");
        assertThat(table).contains("added p99, non-streaming, upstream 50 ms | ≤ 2 ms | 3.00 ms — NOT MET");
        assertThat(table).contains("1,000 open streams: relay RSS | ≤ 512 MB | not measured");
    }

    @Test
    void shouldCallWarmUpSteadyOnlyWhenLastThreeRoundsAgree() {
        assertThat(RelayBench.steady(List.of(700.0, 710.0))).isFalse();
        assertThat(RelayBench.steady(List.of(300.0, 700.0, 2_000.0, 2_400.0))).isFalse();
        assertThat(RelayBench.steady(List.of(300.0, 2_400.0, 2_450.0, 2_380.0))).isTrue();
    }
}
