package dev.tollgate.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first-run seed of {@code ./tollgate up} for a stack that is already running (docker compose's one-shot
 * {@code seed} service): the same {@link Seeder} through the admin API. The admin password comes from
 * {@code TOLLGATE_ADMIN_PASSWORD} (never an argument: arguments show in process lists).
 * <pre>
 * java -cp 'local.jar:lib/*' dev.tollgate.local.SeedMain --admin-url http://admin:8081 \
 *     --simulator-url http://simulator:8090 [--relay-url http://localhost:8080] [--state DIR] [--print-key]
 * </pre>
 * With {@code --state}, a marker there makes a second run print the stored demo key instead of seeding again
 * (the demo user exists already); {@code --print-key} prints only that key.
 * Needs only this jar and Jackson on the class path.
 */
public final class SeedMain {

    static final String PASSWORD_ENV = "TOLLGATE_ADMIN_PASSWORD";
    static final String KEY = "TOLLGATE_DEMO_KEY";

    /** Parsed arguments; {@code state} may be null (always seed, keep nothing). */
    record Options(String adminUrl, String simulatorUrl, String relayUrl, Path state, boolean printKey) {
    }

    /** Seeds through the admin API; a seam so tests run without one. */
    interface SeedAction {
        Seeder.Result seed(String adminUrl, String adminPassword, String simulatorUrl) throws Exception;
    }

    private SeedMain() {
    }

    public static void main(String[] args) {
        int code;
        try {
            Options o = parse(args);
            code = run(o, System.getenv(PASSWORD_ENV),
                    (admin, pw, sim) -> new Seeder(admin).seed(pw, sim), System.out, System.err);
        } catch (IllegalArgumentException e) {
            System.err.println("seed: " + e.getMessage() + "\n\n" + usage());
            code = 2;
        }
        System.exit(code);
    }

    static String usage() {
        return String.join("\n",
                "usage: SeedMain --admin-url URL --simulator-url URL [--relay-url URL] [--state DIR] [--print-key]",
                "  --admin-url      the admin service as this process reaches it, e.g. http://admin:8081",
                "  --simulator-url  the simulator as the relay reaches it (stored in the channels), e.g. http://simulator:8090",
                "  --relay-url      the relay as the user reaches it, for the printed curl (default http://localhost:8080)",
                "  --state DIR      keep the demo key and a 'seeded' marker there; a second run prints the key",
                "  --print-key      print only the stored demo key (exit 1 when not seeded yet)",
                "environment: " + PASSWORD_ENV + " (the admin password the admin service started with)");
    }

    static Options parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        boolean printKey = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--print-key")) {
                printKey = true;
                continue;
            }
            if (!List.of("--admin-url", "--simulator-url", "--relay-url", "--state").contains(a)) {
                throw new IllegalArgumentException("unknown argument: " + a);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            values.put(a, args[++i]);
        }
        String state = values.get("--state");
        Options o = new Options(trimSlash(values.get("--admin-url")), trimSlash(values.get("--simulator-url")),
                trimSlash(values.getOrDefault("--relay-url", "http://localhost:8080")),
                state == null ? null : Path.of(state), printKey);
        if (printKey && o.state() == null) {
            throw new IllegalArgumentException("--print-key needs --state");
        }
        if (!printKey && (o.adminUrl() == null || o.simulatorUrl() == null)) {
            throw new IllegalArgumentException("--admin-url and --simulator-url are required");
        }
        return o;
    }

    static int run(Options o, String adminPassword, SeedAction action, PrintStream out, PrintStream err) {
        Path marker = o.state() == null ? null : o.state().resolve("seeded");
        Path demoEnv = o.state() == null ? null : o.state().resolve("demo.env");
        try {
            if (o.printKey()) {
                String key = Files.exists(marker) ? Secrets.readEnvFile(demoEnv).get(KEY) : null;
                if (key == null) {
                    err.println("seed: not seeded yet (no demo key in " + o.state() + ")");
                    return 1;
                }
                out.println(key);
                return 0;
            }
            if (marker != null && Files.exists(marker)) {
                out.println("seed: already seeded (" + marker + "); the demo key:");
                banner(out, o, Secrets.readEnvFile(demoEnv).get(KEY));
                return 0;
            }
            if (adminPassword == null || adminPassword.isEmpty()) {
                err.println("seed: " + PASSWORD_ENV + " is not set; it must be the admin service's admin password");
                return 2;
            }
            out.println("seed: simulator channels (OpenAI, Anthropic, Bedrock, Gemini, Azure OpenAI), prices, demo user with $10 and a demo key");
            Seeder.Result r = action.seed(o.adminUrl(), adminPassword, o.simulatorUrl());
            if (o.state() != null) {
                Files.createDirectories(o.state());
                Map<String, String> demo = new LinkedHashMap<>();
                demo.put(KEY, r.demoKey());
                demo.put("TOLLGATE_DEMO_USER", r.demoUser());
                demo.put("TOLLGATE_DEMO_PASSWORD", r.demoPassword());
                Secrets.writeEnvFile(demoEnv, "demo customer created by the seed", demo);
                Files.writeString(marker, java.time.Instant.now() + "\n", StandardCharsets.UTF_8);
            }
            banner(out, o, r.demoKey());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("seed: interrupted");
            return 1;
        } catch (Exception e) {
            err.println("seed: failed: " + e.getMessage());
            return 1;
        }
    }

    private static void banner(PrintStream out, Options o, String key) {
        out.println("  KEY=" + key);
        out.println("  curl " + o.relayUrl() + "/v1/chat/completions -H \"Authorization: Bearer $KEY\" "
                + "-H \"Content-Type: application/json\" "
                + "-d '{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'");
        out.println("  curl \"" + o.relayUrl() + "/v1beta/models/gemini-2.5-flash:generateContent\" "
                + "-H \"x-goog-api-key: $KEY\" "
                + "-H \"Content-Type: application/json\" "
                + "-d '{\"contents\":[{\"parts\":[{\"text\":\"Hello\"}]}]}'");
    }

    private static String trimSlash(String url) {
        return url == null || !url.endsWith("/") ? url : url.substring(0, url.length() - 1);
    }
}
