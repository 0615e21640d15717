package dev.tollgate.local.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The relay benchmark's tables, as Markdown (they read well in a terminal too), and the targets of issue 9. */
final class Report {

    String machine = "";
    String priority = "normal";
    List<String> relayOpts = List.of();
    double addedP50 = Double.NEGATIVE_INFINITY;
    double addedP99 = Double.NEGATIVE_INFINITY;
    double cpuAt50 = Double.NEGATIVE_INFINITY;
    double addedTtfbP99 = Double.NEGATIVE_INFINITY;
    double bunched = Double.NEGATIVE_INFINITY;
    private double openRssMb = Double.NaN;
    private long openDropped = -1;
    private long propagationP99 = -1;

    private final List<String> plain = new ArrayList<>();
    private final List<String> streams = new ArrayList<>();
    private final List<String> other = new ArrayList<>();

    void plain(String scenario, String target, Wrk.Result r, Wrk.Result direct, double cpuUsPerRequest, long rssBytes) {
        boolean isDirect = target.equals("direct");
        plain.add(row(scenario, target, fmt(r.rps(), 0), ms(r.p50Us()), ms(r.p99Us()),
                isDirect ? "" : signedMs(r.p50Us() - direct.p50Us()), isDirect ? "" : signedMs(r.p99Us() - direct.p99Us()),
                Double.isNaN(cpuUsPerRequest) ? "" : fmt(cpuUsPerRequest, 0),
                rssBytes == 0 ? "" : mb(rssBytes),
                r.non2xx() + r.socketErrors() == 0 ? "0" : r.non2xx() + " non-2xx, " + r.socketErrors() + " socket"));
    }

    void stream(String scenario, String target, StreamLoad.Result r, StreamLoad.Result direct, double cpuUsPerStream) {
        boolean isDirect = target.equals("direct");
        streams.add(row(scenario, target, fmt(r.rps(), 0), ms(r.ttfbUs(50)), ms(r.ttfbUs(99)),
                isDirect ? "" : signedMs(r.ttfbUs(50) - direct.ttfbUs(50)),
                isDirect ? "" : signedMs(r.ttfbUs(99) - direct.ttfbUs(99)),
                ms(r.totalUs(50)), ms(r.totalUs(99)), fmt(r.bunchedPercent(3_000_000), 1) + " %",
                Double.isNaN(cpuUsPerStream) ? "" : fmt(cpuUsPerStream, 0),
                r.dropped() == 0 ? "0" : r.dropped() + " (" + r.firstError() + ")"));
    }

    void open(int asked, int peakOpen, StreamLoad.Result r, long rssBefore, long rssPeak, double cpuUsPerStream) {
        openRssMb = rssPeak / 1024.0 / 1024.0;
        openDropped = r.dropped();
        other.add(row(asked + " streams held open (20 chunks, 1 s apart)", "relay",
                "peak open " + peakOpen + ", completed " + r.ok() + ", dropped " + r.dropped()
                        + (r.dropped() == 0 ? "" : " (" + r.firstError() + ")"),
                "RSS " + mb(rssBefore) + " before → " + mb(rssPeak) + " peak",
                "TTFB p99 " + ms(r.ttfbUs(99)) + ", CPU " + fmt(cpuUsPerStream, 0) + " µs/stream"));
    }

    void propagation(long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        propagationP99 = StreamLoad.percentile(sorted, 99) / 1000;
        other.add(row(micros.length + " admin writes (key created / disabled) until the relay acts", "relay",
                "p50 " + ms(StreamLoad.percentile(sorted, 50)), "p99 " + ms(StreamLoad.percentile(sorted, 99)),
                "max " + ms(sorted[sorted.length - 1])));
    }

    void accounting(long requests, long applied) {
        other.add(row("usage events (accounting on)", "ledger", "requests answered by the relay " + requests,
                "applied by the ledger " + applied, applied >= requests ? "none lost" : "MISSING " + (requests - applied)));
    }

    String render() {
        StringBuilder b = new StringBuilder();
        b.append("Relay benchmark, ").append(LocalDate.now()).append(". Machine: ").append(machine).append(".\n");
        b.append("Relay JVM: ").append(String.join(" ", relayOpts)).append(". Usage events to Kafka on; the ledger ")
                .append("applies them to MariaDB during the run. Scheduling priority: ").append(priority).append(".\n\n");
        if (!plain.isEmpty()) {
            b.append("| non-streaming chat | via | req/s | p50 | p99 | added p50 | added p99 | CPU µs/req | RSS | errors |\n");
            b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            plain.forEach(r -> b.append(r).append('\n'));
            b.append('\n');
        }
        if (!streams.isEmpty()) {
            b.append("| streaming chat | via | streams/s | TTFB p50 | TTFB p99 | added TTFB p50 | added TTFB p99 | total p50 "
                    + "| total p99 | chunks bunched (<3 ms apart) | CPU µs/stream | dropped |\n");
            b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            streams.forEach(r -> b.append(r).append('\n'));
            b.append('\n');
        }
        if (!other.isEmpty()) {
            b.append("| scenario | where | | | |\n|---|---|---|---|---|\n");
            other.forEach(r -> b.append(r).append('\n'));
            b.append('\n');
        }
        b.append("| target (2-core machine) | bound | measured (worst run) |\n|---|---|---|\n");
        target(b, "added p50, non-streaming, upstream 50 ms", "≤ 0.5 ms", addedP50, " ms", addedP50 <= 0.5);
        target(b, "added p99, non-streaming, upstream 50 ms", "≤ 2 ms", addedP99, " ms", addedP99 <= 2);
        target(b, "relay CPU per non-streaming request, upstream 50 ms", "≤ 150 µs", cpuAt50, " µs", cpuAt50 <= 150);
        target(b, "added TTFB p99, streaming", "≤ 2 ms", addedTtfbP99, " ms", addedTtfbP99 <= 2);
        target(b, "chunks held back (bunched)", "none (≈ direct)", bunched, " %", bunched < 1);
        target(b, "1,000 open streams: relay RSS", "≤ 512 MB", openRssMb, " MB", openRssMb <= 512 && openDropped == 0);
        target(b, "change propagation p99", "≤ 1 s", propagationP99 < 0 ? Double.NaN : propagationP99, " ms", propagationP99 >= 0 && propagationP99 <= 1000);
        b.append("\nadded = the hop's percentile minus direct's in the same run; CPU from /proc (user + system) over the ")
                .append("run divided by requests; bunched = content chunks arriving < 3 ms after the previous one ")
                .append("although the upstream spaced them 10 ms.\n");
        return b.toString();
    }

    private static void target(StringBuilder b, String what, String bound, double value, String unit, boolean met) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            b.append("| ").append(what).append(" | ").append(bound).append(" | not measured |\n");
            return;
        }
        b.append("| ").append(what).append(" | ").append(bound).append(" | ").append(fmt(value, unit.equals(" ms") ? 2 : 0))
                .append(unit).append(met ? " — met" : " — NOT MET").append(" |\n");
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |";
    }

    private static String ms(long micros) {
        return fmt(micros / 1000.0, 2) + " ms";
    }

    private static String signedMs(long micros) {
        return (micros >= 0 ? "+" : "") + fmt(micros / 1000.0, 2) + " ms";
    }

    private static String mb(long bytes) {
        return fmt(bytes / 1024.0 / 1024.0, 0) + " MB";
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
