package dev.tollgate.local.bench;

import dev.tollgate.local.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx as the floor of what any proxy hop costs: one worker, {@code proxy_pass} to the simulator over kept-alive
 * upstream connections, no buffering (so streams flow as they do through the relay), no access log.
 */
final class Nginx implements AutoCloseable {

    private final ServiceProcess process;
    private final int port;

    private Nginx(ServiceProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static String binary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    static Nginx start(String binary, Path dir, int port, int upstreamPort, List<String> prefix) throws IOException {
        Files.createDirectories(dir.resolve("tmp"));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 8192; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/tmp/body;
                  proxy_temp_path %1$s/tmp/proxy;
                  fastcgi_temp_path %1$s/tmp/fastcgi;
                  uwsgi_temp_path %1$s/tmp/uwsgi;
                  scgi_temp_path %1$s/tmp/scgi;
                  upstream simulator { server 127.0.0.1:%3$d; keepalive 256; }
                  server {
                    listen 127.0.0.1:%2$d;
                    keepalive_requests 1000000;
                    location / {
                      proxy_pass http://simulator;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_buffering off;
                      proxy_read_timeout 120s;
                    }
                  }
                }
                """.formatted(dir.toAbsolutePath(), port, upstreamPort));
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(binary, "-e", dir.resolve("error.log").toString(), "-p", dir.toString(), "-c",
                conf.toString()));
        ServiceProcess p = ServiceProcess.start("nginx", cmd, null, dir.resolve("nginx.out"), null, null, null);
        Nginx nginx = new Nginx(p, port);
        p.awaitReady(() -> !ProcStats.children(p.pid()).isEmpty() && portOpen(port), "nginx on :" + port,
                Duration.ofSeconds(15));
        return nginx;
    }

    private static boolean portOpen(int port) {
        try (var s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The worker processes, where the proxying happens (the master only manages them). */
    List<Long> workers() {
        return ProcStats.children(process.pid());
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(5));
    }
}
