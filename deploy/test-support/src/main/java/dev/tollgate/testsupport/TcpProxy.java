package dev.tollgate.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder for fault tests: put it between a service and MariaDB (or any server) and
 * {@link #cut()} it to simulate an outage. Listens on 127.0.0.1, a random port kept across
 * {@link #cut()}/{@link #restore()}.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start(db.host(), db.port())) {
 *     // point the service at 127.0.0.1:proxy.port()
 *     proxy.cut();      // open connections are closed, new ones are refused
 *     proxy.restore();  // accepts again
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private volatile int port;
    private volatile ServerSocket server;
    private volatile Thread acceptor;
    private volatile boolean closed;

    private TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Starts forwarding 127.0.0.1:{@link #port()} to {@code targetHost:targetPort}. */
    public static TcpProxy start(String targetHost, int targetPort) {
        TcpProxy p = new TcpProxy(targetHost, targetPort);
        try {
            p.listen(0);
        } catch (IOException e) {
            throw new IllegalStateException("TcpProxy could not listen", e);
        }
        return p;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public boolean isCut() {
        return server == null;
    }

    /** Closes every open connection and stops listening: new connections are refused. */
    public void cut() {
        synchronized (lock) {
            ServerSocket s = server;
            server = null;
            closeQuietly(s);
            // The JDK really closes a listening socket only when a thread blocked in accept() has
            // left it: wait for that, so that "cut" means refused from the moment cut() returns.
            Thread a = acceptor;
            if (a != null && a != Thread.currentThread()) {
                try {
                    a.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            acceptor = null;
            for (Socket sock : sockets) {
                closeQuietly(sock);
            }
            sockets.clear();
        }
    }

    /** Listens again on the same port. */
    public void restore() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("TcpProxy is closed");
            }
            if (server != null) {
                return;
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try {
                    listen(port);
                    return;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("TcpProxy could not listen again on port " + port, e);
                    }
                    try {
                        lock.wait(50); // port still held by the kernel: try again shortly
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(ie);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        cut();
    }

    private void listen(int onPort) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
        port = s.getLocalPort();
        server = s;
        Thread t = new Thread(() -> acceptLoop(s), "tcp-proxy-accept-" + port);
        t.setDaemon(true);
        acceptor = t;
        t.start();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return; // closed by cut() or close()
            }
            if (server != s) { // accepted in the instant the socket was being closed
                closeQuietly(client);
                return;
            }
            Thread t = new Thread(() -> connect(s, client), "tcp-proxy-conn-" + port);
            t.setDaemon(true);
            t.start();
        }
    }

    private void connect(ServerSocket acceptedBy, Socket client) {
        if (server != acceptedBy) {
            closeQuietly(client);
            return;
        }
        Socket upstream = new Socket();
        try {
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(new InetSocketAddress(targetHost, targetPort), 10_000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        synchronized (lock) {
            if (server != acceptedBy) { // cut while connecting
                closeQuietly(client);
                closeQuietly(upstream);
                return;
            }
            sockets.add(client);
            sockets.add(upstream);
        }
        pump(client, upstream, "up");
        pump(upstream, client, "down");
    }

    private void pump(Socket from, Socket to, String dir) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (SocketException ignored) {
                // cut or peer closed
            } catch (IOException ignored) {
                // peer gone
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-" + dir + "-" + port);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }
}
