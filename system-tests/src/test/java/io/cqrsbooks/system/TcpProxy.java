package io.cqrsbooks.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder between a process and a server, so a test can cut the network between them the way a
 * partition does: {@link #blackhole()} stops moving bytes in both directions but closes nothing, so
 * neither end hears a FIN or a reset and each must notice the silence by itself.
 */
final class TcpProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean blackholed;
  /** Connections accepted before this one (by number) are silent for good. */
  private volatile int silencedBefore;
  /** Written by the acceptor thread only; read by the test. */
  private volatile int accepted;

  TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "proxy-accept-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The same, for a configuration callback, which cannot throw a checked exception. */
  static TcpProxy to(int targetPort) {
    try {
      return new TcpProxy(targetPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return listener.getLocalPort();
  }

  /** From now on nothing passes, in either direction, on any connection; new connections hang too. */
  void blackhole() {
    blackholed = true;
  }

  /**
   * The connections open now go silent for good, as those to a host that vanished (or behind a partition
   * that never heals) do; connections made from now on pass, as to the server that took its place.
   */
  void silenceOpenConnections() {
    silencedBefore = accepted;
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(server);
        int number = accepted++;
        pump(client, server, number);
        pump(server, client, number);
      } catch (IOException e) {
        // closed, or the target refused: the client sees its connection fail
      }
    }
  }

  private void pump(Socket from, Socket to, int connection) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          while (blackholed || connection < silencedBefore) {
            Thread.sleep(1000); // hold the bytes: nothing reaches the other end, nothing is closed
          }
          out.write(buffer, 0, n);
          out.flush();
        }
        if (!blackholed && connection >= silencedBefore) {
          to.shutdownOutput();
        }
      } catch (IOException | InterruptedException e) {
        // one end went away
      }
    }, "proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
