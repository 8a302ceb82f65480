package org.clusterpool.coordinator.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.clusterpool.coordinator.connect.StateFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The record of a running cluster, its state file, belongs to that cluster: two {@code cluster up}
 * at once start one cluster, not two that fight over one file; and a state file lost or damaged
 * while the cluster runs never leaves JVMs that {@code cluster down} cannot stop. Every JVM a
 * command started is killed after each test: they are the processes whose command line names this
 * test's temporary home.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(400)
class ClusterRecordTest {
  @RegisterExtension static final TemporaryHome home = new TemporaryHome();

  @AfterEach
  void stopEverythingThatWasStarted() throws Exception {
    try {
      Cli.run("cluster", "down");
    } finally {
      home.jvms().forEach(ProcessHandle::destroyForcibly);
      Files.deleteIfExists(StateFile.location());
    }
  }

  private static Cli.Run up(int port, int httpPort) {
    return Cli.run(
        "cluster",
        "up",
        "1",
        "--workers",
        "1",
        "--transport",
        "tcp",
        "--timeout",
        "60s",
        "--port",
        Integer.toString(port),
        "--http-port",
        Integer.toString(httpPort));
  }

  @Test
  void twoUpAtOnceStartOneClusterThatDownStops() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Cli.Run>> runs = new ArrayList<>();
      int[][] ports = {{26531, 18191}, {26541, 18192}};
      for (int[] p : ports) {
        runs.add(
            pool.submit(
                () -> {
                  go.await();
                  return up(p[0], p[1]);
                }));
      }
      go.countDown();
      Cli.Run first = runs.get(0).get(180, TimeUnit.SECONDS);
      Cli.Run second = runs.get(1).get(180, TimeUnit.SECONDS);
      Cli.Run winner = first.code() == 0 ? first : second;
      Cli.Run loser = winner == first ? second : first;
      assertEquals(0, winner.code(), first + "\n" + second);
      assertNotEquals(0, loser.code(), first + "\n" + second);
      assertEquals(1, loser.err().lines().count(), loser.toString());
      assertTrue(
          loser.err().contains("another 'cluster up' is starting a cluster here")
              || loser.err().contains("a cluster runs already"),
          loser.toString());

      assertTrue(Files.exists(StateFile.location()), "the winner's state stays");
      Cli.Run down = Cli.run("cluster", "down");
      assertEquals(0, down.code(), down.toString());
      assertTrue(down.out().contains("no process of the cluster remains"), down.toString());
      assertEquals(List.of(), home.jvms(), "no JVM of either up remains");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aStateFileLostWhileTheClusterRunsStillLetsDownStopIt() throws Exception {
    Cli.Run up = up(26551, 18193);
    assertEquals(0, up.code(), up.toString());
    Files.delete(StateFile.location());

    Cli.Run again = up(26561, 18194);
    assertEquals(1, again.code(), again.toString());
    assertTrue(again.err().contains("a cluster runs already"), again.toString());

    Cli.Run down = Cli.run("cluster", "down");
    assertEquals(0, down.code(), down.toString());
    assertTrue(down.out().contains("by their command line"), down.toString());
    assertEquals(List.of(), home.jvms(), "no JVM of the cluster remains");
  }

  @Test
  void aDamagedStateFileStillLetsDownStopTheCluster() throws Exception {
    Cli.Run up = up(26571, 18195);
    assertEquals(0, up.code(), up.toString());
    String state = Files.readString(StateFile.location());
    // its members emptied: a file that says nothing runs, while its JVMs do
    Files.writeString(
        StateFile.location(),
        state.replaceFirst("(?s)\"members\"\\s*:\\s*\\[.*\\]", "\"members\" : 0"));

    Cli.Run down = Cli.run("cluster", "down");
    assertEquals(0, down.code(), down.toString());
    assertTrue(down.out().contains("by their command line"), down.toString());
    assertEquals(List.of(), home.jvms(), "no JVM of the cluster remains");
    assertTrue(Files.notExists(StateFile.location()), "its state is gone");
  }
}
