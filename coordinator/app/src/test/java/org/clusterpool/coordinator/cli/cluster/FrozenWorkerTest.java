package org.clusterpool.coordinator.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.StateFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker JVM frozen by {@code kill -STOP}: the cluster downs its member, and the coordinator JVM,
 * which owns the process, kills it and starts a new one in its place, saying why in its log. Every
 * JVM a command started is killed after the test: the processes whose command line names this
 * test's temporary home.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(420)
class FrozenWorkerTest {
  @TempDir static Path home;
  private String previousHome;

  @BeforeAll
  void useATemporaryHome() {
    previousHome = System.getProperty("clusterpool.home");
    System.setProperty("clusterpool.home", home.toString());
  }

  @AfterAll
  void restoreHome() {
    if (previousHome == null) System.clearProperty("clusterpool.home");
    else System.setProperty("clusterpool.home", previousHome);
  }

  @AfterEach
  void stopEverythingThatWasStarted() {
    try {
      Cli.run("cluster", "down");
    } finally {
      ours().forEach(ProcessHandle::destroyForcibly); // SIGKILL ends a stopped process too
    }
  }

  private static List<ProcessHandle> ours() {
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self)
        .filter(p -> p.info().commandLine().map(c -> c.contains(home.toString())).orElse(false))
        .toList();
  }

  private static ClusterState.Member worker() {
    return StateFile.read()
        .flatMap(s -> s.member("worker-node-1"))
        .orElseThrow(() -> new AssertionError("no worker-node-1 in the state"));
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    // bounded: the failure detector and the Split Brain Resolver down the member, then the
    // supervisor's grace (clusterpool.supervision.backoff-max) runs out
    long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("waited 300 s for " + what);
      Thread.sleep(200);
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    try {
      assertTrue(kill.waitFor(30, TimeUnit.SECONDS), "kill -" + signal + " did not return");
      assertEquals(0, kill.exitValue(), "kill -" + signal + " " + pid);
    } finally {
      kill.destroyForcibly();
    }
  }

  @Test
  void aFrozenWorkerJvmIsKilledAndReplacedOnceTheClusterHasDownedIt() throws Exception {
    Cli.Run up =
        Cli.run(
            "cluster",
            "up",
            "1",
            "--workers",
            "1",
            "--transport",
            "tcp",
            "--port",
            "26581",
            "--http-port",
            "18197");
    assertEquals(0, up.code(), up.toString());
    long frozen = worker().pid();
    Path coordinatorLog = Path.of(StateFile.read().orElseThrow().logs(), "coordinator.log");

    signal("STOP", frozen);
    await(
        "worker-node-1 to run a new JVM",
        () -> {
          ClusterState.Member now = worker();
          return now.pid() != frozen && now.running();
        });

    assertTrue(
        ProcessHandle.of(frozen).map(p -> !p.isAlive()).orElse(true),
        "the frozen JVM is gone, not left stopped");
    String log = Files.readString(coordinatorLog);
    assertTrue(
        log.contains("worker-node-1 (pid " + frozen + "): the cluster has ")
            && log.contains("its JVM is still there"),
        "the coordinator says why it killed the JVM:\n" + log);
  }
}
