package dev.tollgate.local.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What Linux says about a process: CPU time and resident memory, from /proc; 0 where there is no /proc. */
final class ProcStats {

    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ = 100 on Linux

    private ProcStats() {
    }

    /** User + system CPU time of a process (all its threads), in nanoseconds. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK; // utime, stime (fields 14, 15)
        } catch (Exception e) {
            return 0;
        }
    }

    /** CPU time of a process's threads whose name starts with {@code prefix} (e.g. the JIT's "C2 Compiler"). */
    static long threadCpuNanos(long pid, String prefix) {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (!Files.readString(task.resolve("comm")).startsWith(prefix)) {
                        continue;
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
                } catch (java.io.IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return sum;
    }

    /** The sum over several processes (nginx's workers). */
    static long cpuNanos(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += cpuNanos(pid);
        }
        return sum;
    }

    /** Resident set size in bytes (VmRSS). */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // no /proc
        }
        return 0;
    }

    /** Direct children of a process (nginx's master → its workers). */
    static List<Long> children(long pid) {
        List<Long> out = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String list = Files.readString(task.resolve("children")).trim();
                if (!list.isEmpty()) {
                    for (String c : list.split("\\s+")) {
                        out.add(Long.parseLong(c));
                    }
                }
            }
        } catch (Exception e) {
            // no /proc
        }
        return out;
    }

    /** The machine, for the table's caption: cores, CPU model, memory. */
    static String machine() {
        String model = "unknown CPU";
        long memKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + model + "), "
                + Math.round(memKb / 1024.0 / 1024.0) + " GB RAM, Java " + System.getProperty("java.version");
    }
}
