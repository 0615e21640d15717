package dev.tollgate.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM (or any command) whose output goes to a log file and, filtered, to the console as
 * {@code [name] line}. Started in a session of its own (setsid) where available, so Ctrl-C reaches
 * only the launcher, which then stops children in order.
 */
public final class ServiceProcess {

    /** JVM options for dev runs of the services (STACK.md: ~5.5 s start, ~250 MB). */
    public static final List<String> DEV_JVM_OPTS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m");

    /** Lines worth showing on the console by default: warnings, errors and startup lines. */
    public static final Predicate<String> DEFAULT_ECHO = line ->
            line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("Started ")
                    || line.contains("APPLICATION FAILED TO START") || line.contains("Exception")
                    || line.contains("Kafka Server started") || line.contains("Tomcat started")
                    || line.contains("Netty started");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Deque<String> tail = new ArrayDeque<>();
    private final Thread pump;

    private ServiceProcess(String name, Process process, Path logFile, boolean appendLog, PrintStream console,
                           Predicate<String> echo) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.pump = new Thread(() -> pump(console, echo, appendLog), "log-" + name);
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /** {@code java <DEV_JVM_OPTS> -jar jar}, env added to this process's environment. */
    public static ServiceProcess start(String name, Path jar, Map<String, String> env, Path logFile) {
        return start(name, jar, env, logFile, System.out, DEFAULT_ECHO);
    }

    public static ServiceProcess start(String name, Path jar, Map<String, String> env, Path logFile,
                                       PrintStream console, Predicate<String> echo) {
        return start(name, jar, env, logFile, false, console, echo);
    }

    /** As above; {@code appendLog} keeps what the log file holds (a restart after a kill adds to the same log). */
    public static ServiceProcess start(String name, Path jar, Map<String, String> env, Path logFile, boolean appendLog,
                                       PrintStream console, Predicate<String> echo) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + ": " + jar + " is missing (build it: ./mvnw -q package -DskipTests)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.addAll(DEV_JVM_OPTS);
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        return start(name, cmd, env, logFile, appendLog, null, console, echo);
    }

    /** Any command. {@code console} may be null (log file only). */
    public static ServiceProcess start(String name, List<String> command, Map<String, String> env, Path logFile,
                                       Path workDir, PrintStream console, Predicate<String> echo) {
        return start(name, command, env, logFile, false, workDir, console, echo);
    }

    public static ServiceProcess start(String name, List<String> command, Map<String, String> env, Path logFile,
                                       boolean appendLog, Path workDir, PrintStream console, Predicate<String> echo) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            List<String> cmd = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                cmd.add("/usr/bin/setsid"); // not a group leader: setsid execs in place, same pid
            }
            cmd.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (workDir != null) {
                pb.directory(workDir.toFile());
            }
            if (env != null) {
                pb.environment().putAll(env);
            }
            Process p = pb.start();
            p.getOutputStream().close();
            return new ServiceProcess(name, p, logFile, appendLog, console, echo == null ? l -> false : echo);
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until {@code GET url} answers 200. Fails early if the process exits. */
    public void awaitReady(String url, Duration deadline) {
        awaitReady(() -> httpOk(url), url, deadline);
    }

    /** Waits until {@code probe} returns true (polled every 250 ms). */
    public void awaitReady(java.util.function.BooleanSupplier probe, String what, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready; see " + logFile.toAbsolutePath() + lastLines());
            }
            if (probe.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException(name + " not ready after " + deadline.toSeconds() + " s (" + what
                        + "); see " + logFile.toAbsolutePath() + lastLines());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + name, e);
            }
        }
    }

    public static boolean httpOk(String url) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM, wait up to 10 s, then SIGKILL. */
    public void stop() {
        stop(Duration.ofSeconds(10));
    }

    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        // ProcessHandle, not Process.destroy(): the latter also closes our end of the child's output
        // pipe, so the child's shutdown logging would be lost (or kill it with SIGPIPE).
        process.toHandle().destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            pump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGKILL, no shutdown hooks and no graceful close: what a crash or an OOM kill does. Waits until the
     * process is gone (and its log drained) so the caller can start it again on the same port.
     */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") still alive 30 s after SIGKILL");
            }
            pump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String lastLines() {
        synchronized (tail) {
            if (tail.isEmpty()) {
                return "";
            }
            return "\n--- last lines of " + logFile.getFileName() + " ---\n" + String.join("\n", tail);
        }
    }

    private void pump(PrintStream console, Predicate<String> echo, boolean appendLog) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     appendLog ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                     StandardOpenOption.WRITE)) {
            if (appendLog) {
                out.write("---- " + name + " started again (pid " + process.pid() + ") ----\n");
            }
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 25) {
                        tail.removeFirst();
                    }
                }
                if (console != null && echo.test(line)) {
                    console.println("[" + name + "] " + line);
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
    }
}
