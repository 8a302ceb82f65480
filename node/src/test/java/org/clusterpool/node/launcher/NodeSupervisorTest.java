package org.clusterpool.node.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real JVMs under a {@link NodeSupervisor}, without a cluster: a stand-in for the cluster records
 * what the supervisor asks it to down. A JVM that ends is downed at once and replaced on a new
 * port; one that cannot start is tried with growing delays, never sooner; without restarts one
 * stays dead; closing leaves no process.
 */
@Timeout(120)
class NodeSupervisorTest {
  @TempDir Path logs;

  private final List<NodeSupervisor> supervisors = new CopyOnWriteArrayList<>();
  private final List<NodeExit> exits = new CopyOnWriteArrayList<>();

  /** When each exit reached the listener, on this JVM's monotonic clock. */
  private final List<Long> exitNanos = new CopyOnWriteArrayList<>();

  /**
   * Each down asked for: the port, and the pid the supervisor showed for that node at that moment.
   */
  private final List<long[]> downs = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopEverything() {
    for (NodeSupervisor supervisor : supervisors) {
      supervisor.close(Duration.ofSeconds(10));
      for (JvmProcess process : supervisor.processes())
        assertFalse(process.isAlive(), process + " still runs");
    }
  }

  private NodeSupervisor supervise(String heap, SupervisionSettings settings, boolean restart) {
    NodeSupervisor[] self = new NodeSupervisor[1];
    MemberDowning downing =
        port -> {
          long pid =
              self[0].nodes().stream()
                  .filter(n -> n.port() == port)
                  .mapToLong(SupervisedNode::pid)
                  .findFirst()
                  .orElse(0);
          downs.add(new long[] {port, pid});
          return MemberDowning.Outcome.DOWNED;
        };
    NodeSupervisor.Listener listener =
        new NodeSupervisor.Listener() {
          @Override
          public void exited(NodeExit exit) {
            exitNanos.add(System.nanoTime());
            exits.add(exit);
          }
        };
    NodeSupervisor supervisor =
        new NodeSupervisor(
            (name, port) ->
                new JvmSpec(
                    name,
                    IdleJvm.class.getName(),
                    List.of(),
                    heap,
                    logs.resolve(name + ".log"),
                    Map.of()),
            Ports.any(),
            Set.of(),
            settings,
            restart,
            downing,
            listener);
    self[0] = supervisor;
    supervisors.add(supervisor);
    return supervisor;
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("waited 60 s for " + what);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static boolean logged(Path file, String line) {
    try {
      return Files.exists(file) && Files.readString(file).contains(line);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static SupervisionSettings settings(long minMillis, long maxMillis) {
    return new SupervisionSettings(
        Duration.ofMillis(minMillis),
        Duration.ofMillis(maxMillis),
        Duration.ofSeconds(60),
        Duration.ofSeconds(60));
  }

  @Test
  void aKilledJvmIsDownedAtOnceThenReplacedOnANewPort() throws Exception {
    NodeSupervisor supervisor = supervise("32m", settings(200, 5000), true);
    List<SupervisedNode> started = supervisor.addAndWait(2);
    assertEquals(
        List.of("worker-node-1", "worker-node-2"),
        started.stream().map(SupervisedNode::name).toList());
    SupervisedNode first = started.get(0);
    JvmProcess victim = supervisor.processes().get(0);
    assertEquals(first.pid(), victim.pid());
    await(
        "the JVM to run",
        () -> logged(logs.resolve("worker-node-1.log"), "idle JVM " + victim.pid() + " started"));

    victim.kill();
    await(
        "the replacement",
        () ->
            supervisor.nodes().get(0).restarts() == 1
                && supervisor.nodes().get(0).state() == SupervisedNode.State.RUNNING);

    assertEquals(1, exits.size(), exits.toString());
    NodeExit exit = exits.get(0);
    assertEquals(victim.pid(), exit.pid());
    assertEquals(137, exit.code());
    assertEquals("code 137 / killed", exit.cause());
    assertEquals(MemberDowning.Outcome.DOWNED, exit.member());
    assertEquals(
        Duration.ofMillis(200),
        exit.restartDelay().orElseThrow(),
        "the first death waits the shortest delay");
    assertTrue(
        exit.summary("")
            .startsWith(
                "worker-node-1 (pid "
                    + victim.pid()
                    + ", port "
                    + first.port()
                    + ") exited (code 137 / killed) after "),
        exit.summary(""));
    assertTrue(
        exit.summary("").endsWith(": downed at once, starting a replacement in 0.2 s"),
        exit.summary(""));
    assertTrue(
        exit.logTail().stream().anyMatch(l -> l.contains("idle JVM " + victim.pid() + " started")),
        exit.logTail().toString());

    assertEquals(1, downs.size(), "one down, for the one JVM that ended");
    assertEquals(first.port(), downs.get(0)[0], "the member on the dead JVM's port");
    assertEquals(victim.pid(), downs.get(0)[1], "downed before its replacement started");

    SupervisedNode replaced = supervisor.nodes().get(0);
    assertNotEquals(victim.pid(), replaced.pid());
    assertNotEquals(
        first.port(), replaced.port(), "never the address of a member that was removed");
    assertNotEquals(supervisor.nodes().get(1).port(), replaced.port());
    assertTrue(supervisor.processes().get(0).isAlive());
    assertEquals(0, supervisor.nodes().get(1).restarts(), "the other node was left alone");

    List<JvmProcess> running = supervisor.processes();
    supervisor.close(Duration.ofSeconds(10));
    for (JvmProcess process : running) assertFalse(process.isAlive(), process + " was stopped");
    assertTrue(
        supervisor.nodes().stream().allMatch(n -> n.state() == SupervisedNode.State.DEAD),
        supervisor.nodes().toString());
    assertEquals(
        1, downs.size(), "JVMs stopped by their supervisor leave by themselves: nobody downs them");
    supervisor.close(Duration.ofSeconds(10)); // again: nothing to do
  }

  @Test
  void aJvmThatCannotStartIsTriedWithGrowingDelaysNeverSooner() {
    // -Xmx1m under the launcher's -Xms16m: the JVM refuses to start, every time
    NodeSupervisor supervisor = supervise("1m", settings(100, 800), true);
    supervisor.addAndWait(1);
    await("six failed starts", () -> exits.size() >= 6);
    supervisor.close(Duration.ofSeconds(10));

    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 6; i++) delays.add(exits.get(i).restartDelay().orElseThrow());
    List<Duration> expected =
        List.of(100L, 200L, 400L, 800L, 800L, 800L).stream().map(Duration::ofMillis).toList();
    assertEquals(expected, delays, "doubled at each quick death, capped at backoff-max");
    for (int i = 0; i + 1 < 6; i++) {
      long between = exitNanos.get(i + 1) - exitNanos.get(i);
      assertTrue(
          between >= delays.get(i).toNanos(),
          "restart "
              + (i + 1)
              + " came "
              + between
              + " ns after the death before it, sooner than "
              + delays.get(i));
    }
    for (NodeExit exit : exits) {
      assertEquals(1, exit.code(), exit.toString());
      assertEquals("code 1", exit.cause());
      assertTrue(
          exit.logTail()
              .contains("Initial heap size set to a larger value than the maximum heap size"),
          "the reason is reported: " + exit.logTail());
    }
    SupervisedNode node = supervisor.nodes().get(0);
    assertTrue(node.restarts() >= 5, node.toString());
    assertEquals(
        node.restarts(), exits.size() - 1, "every start but the first was a restart: " + node);
  }

  @Test
  void withoutRestartsAJvmThatEndsIsDownedAndStaysDead() throws Exception {
    NodeSupervisor supervisor = supervise("32m", settings(100, 800), false);
    supervisor.addAndWait(1);
    JvmProcess victim = supervisor.processes().get(0);
    victim.kill();
    await("its end", () -> supervisor.nodes().get(0).lastExit().isPresent());
    NodeExit exit = supervisor.nodes().get(0).lastExit().orElseThrow();
    assertFalse(exit.replaced());
    assertEquals(MemberDowning.Outcome.DOWNED, exit.member(), "downed at once all the same");
    assertTrue(
        exit.summary("not replaced (restarts are off)")
            .endsWith(": downed at once, not replaced (restarts are off)"));
    Thread.sleep(
        500); // five times the shortest delay: long enough for a restart that should not come
    SupervisedNode node = supervisor.nodes().get(0);
    assertEquals(SupervisedNode.State.DEAD, node.state());
    assertEquals(0, node.restarts());
    assertEquals(List.of(victim), supervisor.processes(), "no other JVM was started");
    assertEquals(1, exits.size());
  }

  @Test
  void onceRestartsStopAJvmThatEndsIsNotReplacedAndAWaitingRestartIsCancelled() throws Exception {
    NodeSupervisor supervisor = supervise("32m", settings(60_000, 60_000), true);
    supervisor.addAndWait(2);
    supervisor.processes().get(0).kill();
    await("its end", () -> supervisor.nodes().get(0).state() == SupervisedNode.State.RESTARTING);
    supervisor.stopRestarting();
    assertEquals(
        SupervisedNode.State.DEAD,
        supervisor.nodes().get(0).state(),
        "the restart waiting for its delay is cancelled");
    supervisor.processes().get(1).kill();
    await("the second end", () -> supervisor.nodes().get(1).lastExit().isPresent());
    assertEquals(SupervisedNode.State.DEAD, supervisor.nodes().get(1).state());
    assertFalse(supervisor.nodes().get(1).lastExit().orElseThrow().replaced());
  }
}
