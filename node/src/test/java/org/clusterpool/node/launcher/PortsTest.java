package org.clusterpool.node.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

  /**
   * A replacement's port is above the cluster's own, wherever that is: the member with the lowest
   * address leads, and it must be the coordinator's.
   */
  @Test
  void aPortDrawnAtRandomIsFreeAndFromTheFirstUp() {
    Set<Integer> taken = new HashSet<>();
    for (int first : new int[] {1025, 47201, 64000}) {
      for (int i = 0; i < 20; i++) {
        int port = Ports.anyFrom(first, taken);
        assertTrue(port >= first && port < 65536, first + ": " + port);
        assertTrue(taken.add(port), "never one of those taken: " + port);
      }
    }
  }

  @Test
  void aPortInUseIsNotFree() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertFalse(Ports.isFree(held.getLocalPort()));
      Set<Integer> others = new HashSet<>();
      for (int i = 0; i < 50; i++) others.add(Ports.anyFrom(held.getLocalPort(), Set.of()));
      assertFalse(others.contains(held.getLocalPort()), "never the port in use");
    }
  }
}
