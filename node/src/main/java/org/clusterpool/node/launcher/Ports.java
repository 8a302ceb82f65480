package org.clusterpool.node.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free TCP ports on loopback, for the members of a local cluster. */
public final class Ports {
  private Ports() {}

  /**
   * Whether nothing listens on this loopback port now. Bound as the servers that take it bind (the
   * JDK's server sockets reuse the address on Linux), so that the closed connections a killed JVM
   * left (TIME_WAIT, a minute) do not count as a listener.
   */
  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The first free port from {@code first} on, skipping {@code taken}, among the next 1000 free of
   * {@code taken} (a supervisor that never gives a port twice takes many over time); a clear error
   * when none is left.
   */
  public static int freeFrom(int first, java.util.Set<Integer> taken) {
    int tried = 0;
    for (int port = first; port < 65536 && tried < 1000; port++) {
      if (taken.contains(port)) continue;
      tried++;
      if (isFree(port)) return port;
    }
    throw new IllegalStateException("no free port on 127.0.0.1 from " + first + " (1000 tried)");
  }

  /**
   * A free port drawn at random from {@code first} up, none of {@code taken}; the first free one
   * from {@code first} on when a hundred draws found none.
   */
  public static int anyFrom(int first, java.util.Set<Integer> taken) {
    java.util.concurrent.ThreadLocalRandom random =
        java.util.concurrent.ThreadLocalRandom.current();
    for (int tries = 0; tries < 100 && first < 65535; tries++) {
      int port = random.nextInt(first, 65536);
      if (!taken.contains(port) && isFree(port)) return port;
    }
    return freeFrom(first, taken);
  }

  /** Any free port that the system picks. */
  public static int any() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on 127.0.0.1: " + e.getMessage(), e);
    }
  }
}
