package org.clusterpool.coordinator.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.clusterpool.coordinator.http.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local cluster of real JVMs through the commands a user types: {@code cluster up 2}, {@code status},
 * {@code map whoami --connect}, {@code add 1}, {@code kill 1}, the coordinator dying under a running job, and
 * {@code down}, after which none of the cluster's processes remains. Every JVM a command started is killed
 * after the test, whatever happened.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class ClusterLifecycleTest {
  @TempDir static Path home;
  private String previousHome;
  private final Set<Long> started = new HashSet<>();

  @BeforeAll
  void useATemporaryHome() {
    previousHome = System.getProperty("clusterpool.home");
    System.setProperty("clusterpool.home", home.toString());
  }

  @AfterAll
  void stopEverythingThatWasStarted() {
    try {
      Cli.run("cluster", "down");
    } finally {
      rememberStarted();
      for (long pid : started) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      if (previousHome == null) System.clearProperty("clusterpool.home");
      else System.setProperty("clusterpool.home", previousHome);
    }
  }

  /** Every pid the state file has named: the safety net of {@link #stopEverythingThatWasStarted}. */
  private void rememberStarted() {
    StateFile.read().ifPresent(state -> state.members().forEach(m -> started.add(m.pid())));
  }

  private static ClusterState state() {
    return StateFile.read().orElseThrow(() -> new AssertionError("no cluster state"));
  }

  private static long pidOf(String name) {
    return state().members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().pid();
  }

  /** The pids that answered {@code whoami}: the last word of each line. */
  private static Set<Long> pidsOf(Cli.Run whoami) {
    return whoami.lines().stream().map(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).collect(Collectors.toSet());
  }

  @Test
  void aLocalClusterFromUpToDown() throws Exception {
    Cli.Run up = Cli.run("cluster", "up", "2", "--workers", "2");
    rememberStarted();
    assertEquals(0, up.code(), up.toString());
    assertTrue(up.out().startsWith("cluster up in "), up.out());
    assertTrue(up.out().contains("cluster down"), "it says how to stop it: " + up.out());
    assertTrue(up.out().contains("--connect"), "it says how to use it: " + up.out());
    ClusterState state = state();
    assertEquals(List.of("coordinator", "worker-node-1", "worker-node-2"), state.members().stream().map(ClusterState.Member::name).toList());
    for (ClusterState.Member member : state.members()) assertTrue(Processes.alive(member), member.toString());
    assertTrue(Files.exists(Path.of(state.logs()).resolve("coordinator.log")), "logs in one folder: " + state.logs());

    Cli.Run again = Cli.run("cluster", "up", "1");
    assertEquals(1, again.code());
    assertTrue(again.err().startsWith("clusterpool: a cluster runs already"), again.err());

    Cli.Run status = Cli.run("cluster", "status");
    assertEquals(0, status.code(), status.toString());
    for (ClusterState.Member member : state.members()) {
      assertTrue(status.out().contains(member.name()) && status.out().contains(Long.toString(member.pid())), status.out());
    }
    assertTrue(status.out().contains("workers (4)"), status.out());
    assertTrue(status.out().contains(state.logs()), status.out());

    long node1 = pidOf("worker-node-1");
    long node2 = pidOf("worker-node-2");
    Cli.Run whoami = Cli.run("map", "whoami", "1..12", "--connect");
    assertEquals(0, whoami.code(), whoami.toString());
    assertEquals(12, whoami.lines().size());
    assertEquals(Set.of(node1, node2), pidsOf(whoami), "both worker JVMs answer: " + whoami.out());

    Cli.Run add = Cli.run("cluster", "add", "1");
    rememberStarted();
    assertEquals(0, add.code(), add.toString());
    long node3 = pidOf("worker-node-3");
    assertTrue(add.out().startsWith("added worker-node-3 (pid " + node3), add.out());
    Cli.Run wider = Cli.run("map", "whoami", "1..24", "--chunksize", "1", "--connect");
    assertEquals(0, wider.code(), wider.toString());
    assertEquals(Set.of(node1, node2, node3), pidsOf(wider), "the next job uses the new node: " + wider.out());

    Cli.Run kill = Cli.run("cluster", "kill", "1");
    assertEquals(0, kill.code(), kill.toString());
    assertTrue(kill.out().startsWith("killed worker-node-1 (pid " + node1 + ","), kill.out());
    assertTrue(ProcessHandle.of(node1).map(h -> !h.isAlive()).orElse(true), "kill -9 leaves no process");
    Cli.Run survivors = Cli.run("map", "whoami", "1..12", "--connect");
    assertEquals(0, survivors.code(), survivors.toString());
    assertTrue(Set.of(node2, node3).containsAll(pidsOf(survivors)), survivors.out());

    coordinatorDyingUnderAJobIsAClearErrorNotAHang(state().coordinator().orElseThrow());

    Cli.Run down = Cli.run("cluster", "down");
    assertEquals(0, down.code(), down.toString());
    assertTrue(down.out().contains("no process of the cluster remains"), down.out());
    for (long pid : started) {
      ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " is gone");
    }
    assertFalse(Files.exists(StateFile.location()), "the state file went with the cluster");
  }

  private void coordinatorDyingUnderAJobIsAClearErrorNotAHang(ClusterState.Member coordinator) throws Exception {
    ApiClient api = new ApiClient(URI.create(state().http()));
    ExecutorService client = Executors.newSingleThreadExecutor();
    try {
      Future<Cli.Run> job = client.submit(() -> Cli.run("gather", "sleep:60", "sleep:60", "--connect"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!running(api) && System.nanoTime() < deadline) Thread.sleep(100);
      assertTrue(running(api), "the job runs");
      ProcessHandle.of(coordinator.pid()).orElseThrow().destroyForcibly();

      Cli.Run lost = job.get(60, TimeUnit.SECONDS);
      assertEquals(1, lost.code(), lost.toString());
      assertEquals(1, lost.err().lines().count(), lost.toString());
      assertTrue(lost.err().startsWith("clusterpool: lost the coordinator at " + state().http() + " during job "), lost.err());
    } finally {
      client.shutdownNow();
    }
    ProcessHandle.of(coordinator.pid()).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
    Cli.Run status = Cli.run("cluster", "status");
    assertEquals(1, status.code());
    assertTrue(status.err().contains("the cluster is not running: its coordinator (pid " + coordinator.pid() + ") is gone"), status.err());
  }

  private static boolean running(ApiClient api) {
    try {
      for (JsonNode job : api.get("/jobs").path("jobs")) if (job.path("state").asText().equals("running")) return true;
    } catch (ApiClient.Unreachable | ApiClient.Failure e) {
      return false;
    }
    return false;
  }
}
