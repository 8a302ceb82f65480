package org.clusterpool.coordinator.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.StateFile;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.ResultIterator;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JVMs of {@code cluster up} frozen by {@code kill -STOP}. A worker JVM: the cluster downs its
 * member, and the coordinator JVM, which owns the process, kills it and starts a new one in its
 * place, saying why in its log. The coordinator JVM: its worker JVMs wait for it, and the job it
 * ran goes on when it wakes up. Every JVM a command started is killed after each test: the
 * processes whose command line names this test's temporary home.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(420)
class FrozenMembersTest {
  @RegisterExtension static final TemporaryHome home = new TemporaryHome();

  @AfterEach
  void stopEverythingThatWasStarted() {
    try {
      Cli.run("cluster", "down");
    } finally {
      home.jvms().forEach(ProcessHandle::destroyForcibly); // SIGKILL ends a stopped process too
    }
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

  /** SIGSTOP to {@code pid}; false if the process had ended already. */
  private static boolean stop(long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start();
    try {
      assertTrue(kill.waitFor(30, TimeUnit.SECONDS), "kill -STOP did not return");
      if (kill.exitValue() == 0) return true;
      assertTrue(ProcessHandle.of(pid).isEmpty(), "kill -STOP " + pid + " failed, and it runs");
      return false;
    } finally {
      kill.destroyForcibly();
    }
  }

  /** The state of a process, from /proc: 'T' when it is stopped by a signal. */
  private static char processState(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    return stat.charAt(stat.lastIndexOf(')') + 2);
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

  /** {@code cluster up 2}, one worker each, over plain TCP on these ports. */
  private static void upWithTwoWorkers(int port, int httpPort) {
    Cli.Run up =
        Cli.run(
            "cluster",
            "up",
            "2",
            "--workers",
            "1",
            "--transport",
            "tcp",
            "--port",
            Integer.toString(port),
            "--http-port",
            Integer.toString(httpPort));
    assertEquals(0, up.code(), up.toString());
  }

  /** The JVMs of a cluster of 2 worker JVMs whose job ran through a freeze. */
  private record FrozenMidJob(long coordinator, List<Long> workers) {}

  private static final List<Double> INPUTS = new ArrayList<>();

  static {
    // distinct inputs, so that the results show each input's once and in its place
    for (int i = 0; i < 40; i++) INPUTS.add(0.25 + i / 1000.0);
  }

  /**
   * {@code cluster up 2}, a job of 40 blocking sleeps of a quarter second on its 2 workers, and,
   * after its first results, the JVMs that {@code frozen} picks stopped for 15 s, well past the
   * failure detector's patience and the Split Brain Resolver's stable-after (about 7 s on this
   * config); then the rest of the job.
   */
  private static FrozenMidJob freezeMidJob(
      int port, int httpPort, java.util.function.BiFunction<Long, List<Long>, List<Long>> frozen)
      throws Exception {
    upWithTwoWorkers(port, httpPort);
    ClusterState before = StateFile.read().orElseThrow();
    long coordinator = before.coordinator().orElseThrow().pid();
    List<Long> workers = before.workers().stream().map(ClusterState.Member::pid).toList();
    assertEquals(2, workers.size(), before.toString());
    List<Long> stopped = frozen.apply(coordinator, workers);

    List<Double> results = new ArrayList<>();
    try (ClusterPool pool =
        ClusterPool.builder().requestTimeout(Duration.ofSeconds(90)).connect()) {
      ResultIterator<Double> job = pool.imap(BuiltinTasks.SLEEP_BLOCKING, INPUTS, 1);
      for (int i = 0; i < 4; i++) results.add(job.next());

      for (long pid : stopped) signal("STOP", pid);
      long frozenAt = System.nanoTime();
      try {
        Thread.sleep(15_000);
        for (long pid : stopped)
          assertEquals('T', processState(pid), "JVM " + pid + " was stopped throughout");
      } finally {
        for (long pid : stopped) signal("CONT", pid);
      }
      assertTrue(System.nanoTime() - frozenAt >= Duration.ofSeconds(15).toNanos());
      assertTrue(results.size() < INPUTS.size(), "the job was running when they froze");

      while (job.hasNext()) results.add(job.next());
    }
    assertEquals(INPUTS, results, "every result once, in input order");
    return new FrozenMidJob(coordinator, workers);
  }

  private static void aJobRunsAgain() {
    Cli.Run again = Cli.run("map", "square", "1..20", "--chunksize", "1", "--connect");
    assertEquals(0, again.code(), again.toString());
    assertEquals(20, again.lines().size(), again.toString());
  }

  /**
   * The coordinator JVM frozen mid-job, with two worker JVMs: they are the larger side, and used to
   * down it, which stopped the whole cluster. The worker JVMs it started wait for it: their
   * parent's process is alive, and they would see it end.
   */
  @Test
  void aFrozenCoordinatorJvmKeepsItsClusterAndItsJobGoesOnWhenItWakesUp() throws Exception {
    FrozenMidJob run = freezeMidJob(26591, 18198, (coordinator, workers) -> List.of(coordinator));

    ClusterState after = StateFile.read().orElseThrow();
    assertEquals(run.coordinator(), after.coordinator().orElseThrow().pid(), after.toString());
    assertEquals(
        run.workers(),
        after.workers().stream().map(ClusterState.Member::pid).toList(),
        "the worker JVMs waited for their coordinator: none was downed nor replaced");
    assertTrue(after.workers().stream().allMatch(ClusterState.Member::running), after.toString());
    aJobRunsAgain();
  }

  /**
   * Every worker JVM frozen mid-job: the coordinator was the smaller side and downed itself, which
   * stopped the cluster. It now downs the frozen workers; once they wake up they find themselves
   * downed and exit, new JVMs take their places, and the job completes.
   */
  @Test
  void frozenWorkerJvmsAreReplacedAndTheCoordinatorStays() throws Exception {
    FrozenMidJob run = freezeMidJob(26601, 18199, (coordinator, workers) -> workers);

    ClusterState after = StateFile.read().orElseThrow();
    assertEquals(run.coordinator(), after.coordinator().orElseThrow().pid(), after.toString());
    await(
        "the frozen worker JVMs to be gone",
        () -> run.workers().stream().noneMatch(pid -> ProcessHandle.of(pid).isPresent()));
    aJobRunsAgain();
  }

  /**
   * A worker JVM frozen for a few seconds at a time, three times mid-job: the coordinator finds it
   * unreachable within seconds, while the other worker, which waits a minute for a silent member,
   * still sees it; when it wakes, it may see the cluster's gossip before the coordinator sees it
   * again. The Split Brain Resolver calls that "indirectly connected" and downs both, and it downed
   * the coordinator with it: the whole cluster stopped (a tester's finding). The coordinator of a
   * cluster it owns decides alone now: it stays, and the job completes, every result once.
   */
  @Test
  void aWorkerJvmFrozenForAFewSecondsAtATimeNeverTakesTheCoordinatorWithIt() throws Exception {
    upWithTwoWorkers(26611, 18200);
    long coordinator = StateFile.read().orElseThrow().coordinator().orElseThrow().pid();
    List<Double> inputs = new ArrayList<>();
    for (int i = 0; i < 200; i++) inputs.add(0.25 + i / 100_000.0);
    List<Double> results = new ArrayList<>();
    try (ClusterPool pool =
        ClusterPool.builder().requestTimeout(Duration.ofSeconds(90)).connect()) {
      ResultIterator<Double> job = pool.imap(BuiltinTasks.SLEEP_BLOCKING, inputs, 1);
      for (int i = 0; i < 4; i++) results.add(job.next());
      int frozen = 0;
      for (long freezeMillis : List.of(6_500L, 7_000L, 6_500L)) {
        // a JVM downed meanwhile exits, and its replacement takes the slot: freeze what runs now
        await(
            "worker-node-1 to run",
            () -> worker().running() && ProcessHandle.of(worker().pid()).isPresent());
        long pid = worker().pid();
        if (!stop(pid)) continue; // it ended between the look and the signal
        try {
          Thread.sleep(freezeMillis);
          assertEquals('T', processState(pid), "JVM " + pid + " was stopped throughout");
          frozen++;
        } finally {
          signal("CONT", pid);
        }
        Thread.sleep(2_000);
      }
      assertTrue(frozen >= 2, "worker JVMs were frozen " + frozen + " times");
      assertTrue(results.size() < inputs.size(), "the job was running throughout");
      while (job.hasNext()) results.add(job.next());
    }
    assertEquals(inputs, results, "every result once, in input order");
    ClusterState after = StateFile.read().orElseThrow();
    assertEquals(
        coordinator,
        after.coordinator().filter(ClusterState.Member::running).orElseThrow().pid(),
        "the coordinator JVM stays: " + after);
    assertTrue(ProcessHandle.of(coordinator).map(ProcessHandle::isAlive).orElse(false));
    aJobRunsAgain();
  }
}
