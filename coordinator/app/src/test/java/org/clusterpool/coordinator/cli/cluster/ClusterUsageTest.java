package org.clusterpool.coordinator.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import org.clusterpool.coordinator.connect.StateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cluster, coordinator and node commands refuse what cannot work in one line, before they start
 * anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ClusterUsageTest {
  @RegisterExtension static final TemporaryHome home = new TemporaryHome();

  private static void assertUsage(Cli.Run run, String expected) {
    assertEquals(2, run.code(), run.toString());
    assertEquals(1, run.err().lines().count(), run.toString());
    assertTrue(run.err().contains(expected), run.toString());
  }

  @Test
  void withoutAClusterTheCommandsSaySo() {
    Cli.Run status = Cli.run("cluster", "status");
    assertEquals(1, status.code());
    assertTrue(status.err().startsWith("clusterpool: no cluster runs here"), status.err());
    assertTrue(status.err().contains("cluster up N"), status.err());
    assertEquals(1, Cli.run("cluster", "kill", "1").code());
    assertEquals(1, Cli.run("cluster", "add", "1").code());
    Cli.Run down = Cli.run("cluster", "down");
    assertEquals(0, down.code(), "nothing to stop is not a failure");
    assertTrue(down.out().startsWith("no cluster to stop"), down.out());
  }

  @Test
  void clusterUpRefusesBadOptionsBeforeItStartsAnything() throws IOException {
    assertUsage(Cli.run("cluster"), "give what to do: up N, status, add N, kill I or down");
    assertUsage(Cli.run("cluster", "up", "0"), "cluster up takes 1 to 64 worker nodes, got 0");
    assertUsage(
        Cli.run("cluster", "up", "1", "--heap", "lots"),
        "--heap expects a size like 256m or 1g, got 'lots'");
    assertUsage(
        Cli.run("cluster", "up", "1", "--workers", "0"), "--workers must be between 1 and 1024");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertUsage(
          Cli.run("cluster", "up", "1", "--port", Integer.toString(taken.getLocalPort())),
          "port " + taken.getLocalPort() + " on 127.0.0.1 is taken: choose another with --port");
      assertUsage(
          Cli.run("cluster", "up", "1", "--http-port", Integer.toString(taken.getLocalPort())),
          "choose another with --http-port");
    }
    assertFalse(Files.exists(StateFile.location()), "nothing was started");
  }

  @Test
  void nodeAndCoordinatorRefuseBadOptions() throws IOException {
    assertUsage(Cli.run("node"), "a node joins a cluster: give a member's address with --seed");
    assertUsage(
        Cli.run("node", "--seed", "127.0.0.1:25520"),
        "--seed expects a member's address, like pekko://clusterpool@127.0.0.1:25520");
    assertUsage(
        Cli.run("node", "--seed", "pekko://clusterpool@127.0.0.1:25520", "--config", "nope"),
        "unknown --config 'nope': accepted local-cluster");
    assertUsage(
        Cli.run("node", "--seed", "pekko://clusterpool@127.0.0.1:25520", "--workers", "0"),
        "--workers must be between 1 and 1024");
    // no certificate of a cluster's CA (no cluster up here to give one), or a directory that holds
    // none
    assertUsage(
        Cli.run("node", "--seed", "pekko://clusterpool@127.0.0.1:25520", "--port", "0"),
        "cannot start the node: members speak mutual TLS");
    assertUsage(
        // any HTTP port: the default, 8080, may be another program's on this machine
        Cli.run("coordinator", "--port", "0", "--http-port", "0", "--tls-dir", "/nonexistent"),
        "cannot start the coordinator's member: members speak mutual TLS");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(taken.getLocalPort());
      assertUsage(
          Cli.run("coordinator", "--port", port), "port " + port + " is taken on this machine");
      assertUsage(
          Cli.run("coordinator", "--port", "0", "--http-port", port),
          "port " + port + " is taken on this machine: choose another with --http-port");
      assertUsage(
          Cli.run("node", "--seed", "pekko://clusterpool@127.0.0.1:25520", "--port", port),
          "is taken on this machine");
    }
  }
}
