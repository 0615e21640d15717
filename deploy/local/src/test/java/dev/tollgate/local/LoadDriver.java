package dev.tollgate.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Steady load for fault tests: {@code threads} clients each sending non-streaming chat requests back to back,
 * round-robin over the relays, until {@link #stop()}. Every answer is kept (status, x-request-id, time).
 */
final class LoadDriver implements AutoCloseable {

    private final List<String> relayUrls;
    private final String key;
    private final String model;
    private final int maxTokens;
    private final List<Thread> threads = new ArrayList<>();
    private final ConcurrentLinkedQueue<RelayCalls.Answer> answers = new ConcurrentLinkedQueue<>();
    private volatile boolean running;

    LoadDriver(List<String> relayUrls, String key, String model, int maxTokens) {
        this.relayUrls = List.copyOf(relayUrls);
        this.key = key;
        this.model = model;
        this.maxTokens = maxTokens;
    }

    LoadDriver start(int clients) {
        running = true;
        for (int i = 0; i < clients; i++) {
            int offset = i;
            Thread t = new Thread(() -> loop(offset), "load-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    private void loop(int offset) {
        int n = offset;
        while (running) {
            answers.add(RelayCalls.chat(relayUrls.get(n++ % relayUrls.size()), key, model, maxTokens));
        }
    }

    /** Stops the clients (each finishes its call in flight) and returns every answer. */
    List<RelayCalls.Answer> stop() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(40)); // a call times out after 30 s
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        return answers();
    }

    List<RelayCalls.Answer> answers() {
        return List.copyOf(answers);
    }

    int count() {
        return answers.size();
    }

    /** Answers that arrived in [fromMillis, toMillis). */
    static List<RelayCalls.Answer> between(List<RelayCalls.Answer> all, long fromMillis, long toMillis) {
        return all.stream().filter(a -> a.atMillis() >= fromMillis && a.atMillis() < toMillis).toList();
    }

    static Set<String> okIds(List<RelayCalls.Answer> all) {
        return all.stream().filter(RelayCalls.Answer::ok).map(RelayCalls.Answer::requestId).collect(Collectors.toSet());
    }

    static double successRatio(List<RelayCalls.Answer> all) {
        return all.isEmpty() ? 0 : (double) all.stream().filter(RelayCalls.Answer::ok).count() / all.size();
    }

    /** Status → count, for messages. */
    static Map<Integer, Long> statuses(List<RelayCalls.Answer> all) {
        return all.stream().collect(Collectors.groupingBy(RelayCalls.Answer::status, TreeMap::new, Collectors.counting()));
    }

    @Override
    public void close() {
        stop();
    }
}
