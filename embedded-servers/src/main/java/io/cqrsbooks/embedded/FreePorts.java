package io.cqrsbooks.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks a port nobody listens on, for servers that cannot bind port 0 themselves. */
final class FreePorts {

  private FreePorts() {
  }

  static int orFree(int requested) {
    return requested > 0 ? requested : pick();
  }

  static int pick() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on the loopback interface", e);
    }
  }
}
