package dev.tollgate.deploy.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The npm tools of the offline checks (tools/package.json): installed by .ci/run, and here when missing.
 * Node and npm are prerequisites of this module (the CDK needs node anyway).
 */
final class NodeTools {

    private NodeTools() {
    }

    static Path toolsDir() {
        return Synthesized.moduleDir().resolve("tools");
    }

    static synchronized void ensureInstalled() {
        Path marker = toolsDir().resolve("node_modules/@aws-cdk/aws-service-spec/package.json");
        Path guard = cfnGuard();
        if (Files.exists(marker) && Files.exists(guard)) {
            return;
        }
        Result r = run(toolsDir(), 600, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--legacy-peer-deps");
        if (r.exitCode() != 0) {
            throw new AssertionError("npm ci in " + toolsDir() + " failed:\n" + r.output());
        }
    }

    static Path cfnGuard() {
        String arch = System.getProperty("os.arch").contains("aarch64") ? "aarch64" : "x86_64";
        String os = System.getProperty("os.name").toLowerCase().contains("mac") ? "macos" : "ubuntu";
        return toolsDir().resolve("node_modules/@cdklabs/cdk-validator-cfnguard/bin/" + os + "/" + arch + "/cfn-guard");
    }

    record Result(int exitCode, String output) {
    }

    static Result run(Path dir, long timeoutSeconds, String... command) {
        try {
            Path log = Files.createTempFile("tollgate-aws-tool", ".log");
            try {
                Process p = new ProcessBuilder(new ArrayList<>(List.of(command)))
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
                }
                return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
