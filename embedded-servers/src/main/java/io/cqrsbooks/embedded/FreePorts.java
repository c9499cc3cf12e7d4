package io.cqrsbooks.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks a port nobody listens on, for servers that cannot bind port 0 themselves. The port is drawn
 * below the kernel's ephemeral range, so no outgoing connection and no port-0 server can be given it
 * between the pick and the bind (a CI run was lost to that race once). A port is handed out once per JVM:
 * two picks before either server binds must not get the same one (a test run lost Kafka's port to that).
 */
public final class FreePorts {

  private static final int SPAN = 8000;
  private static final int DEFAULT_EPHEMERAL_START = 32768;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {
  }

  public static int orFree(int requested) {
    return requested > 0 ? requested : pick();
  }

  public static int pick() {
    int below = ephemeralRangeStart();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(below - SPAN, below);
      if (!HANDED_OUT.contains(port) && bindable(port) && HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new UncheckedIOException(new IOException("no free port between " + (below - SPAN) + " and " + below));
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static int ephemeralRangeStart() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int start = Integer.parseInt(range.split("\\s+")[0]);
      return start >= SPAN + 1024 ? start : DEFAULT_EPHEMERAL_START;
    } catch (IOException | RuntimeException notLinux) {
      return DEFAULT_EPHEMERAL_START;
    }
  }
}
