package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.clusterpool.coordinator.testcluster.Await;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ClusterPool.local(n)} leaves no JVM behind: its worker JVMs are gone, checked by pid,
 * after the pool is closed, after the program fails with an exception, after it calls {@code
 * System.exit} with the pool open, and after it is killed with SIGKILL (the workers watch it).
 */
@Timeout(240)
class LocalPoolProcessesTest {
  private static final Duration GONE_WITHIN = Duration.ofSeconds(60);
  private static final Path LOGS = Path.of("target", "test-logs", "local-pool");

  /**
   * What each test started, stopped whatever happened: the program's JVM, then any worker it left.
   */
  private final List<JvmProcess> programs = new ArrayList<>();

  private final List<Long> workers = new ArrayList<>();

  @AfterEach
  void reap() {
    programs.forEach(JvmProcess::kill);
    for (long pid : workers) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  @Test
  void closingThePoolStopsItsWorkerJvms() {
    ClusterPool pool = ClusterPool.builder().workersPerNode(1).local(2);
    List<JvmProcess> nodes = ((StartedCluster) pool.engine()).cluster().nodes();
    nodes.forEach(node -> workers.add(node.pid()));
    assertEquals(2, nodes.size());
    assertTrue(nodes.stream().allMatch(JvmProcess::isAlive));
    assertEquals(
        List.of(4L), pool.map(org.clusterpool.node.task.builtin.BuiltinTasks.SQUARE, List.of(2L)));
    pool.close();
    assertTrue(pool.join(GONE_WITHIN), "the pool stops");
    assertAllGone(workers);
  }

  @Test
  void anExceptionInTheProgramStopsTheWorkerJvms() throws Exception {
    JvmProcess program = program("throw");
    List<Long> pids = awaitPids(program, "throw");
    assertTrue(program.waitFor(Duration.ofSeconds(120)), "the program ends");
    assertNotEquals(0, program.exitCode(), "the exception fails the program");
    assertAllGone(pids);
  }

  @Test
  void exitingWithThePoolOpenStopsTheWorkerJvms() throws Exception {
    JvmProcess program = program("exit");
    List<Long> pids = awaitPids(program, "exit");
    assertTrue(program.waitFor(Duration.ofSeconds(120)), "the program ends");
    assertEquals(3, program.exitCode());
    assertAllGone(pids);
  }

  @Test
  void killingTheProgramStopsTheWorkerJvms() throws Exception {
    JvmProcess program = program("wait");
    List<Long> pids = awaitPids(program, "wait");
    for (long pid : pids)
      assertTrue(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "worker " + pid + " runs");
    program.kill(); // SIGKILL: no shutdown hook runs, the workers only see their parent gone
    assertTrue(!program.isAlive());
    assertAllGone(pids);
  }

  private JvmProcess program(String mode) throws Exception {
    Files.createDirectories(LOGS);
    Path pidFile = LOGS.resolve(mode + "-" + System.nanoTime() + ".pids");
    JvmProcess program =
        JvmLauncher.start(
            new JvmSpec(
                "local-pool-" + mode,
                LocalPoolMain.class.getName(),
                List.of(mode, pidFile.toAbsolutePath().toString()),
                "256m",
                LOGS.resolve("program-" + mode + ".log"),
                Map.of()));
    programs.add(program);
    pidFiles.put(program, pidFile);
    return program;
  }

  private final Map<JvmProcess, Path> pidFiles = new java.util.HashMap<>();

  private List<Long> awaitPids(JvmProcess program, String mode) throws Exception {
    Path pidFile = pidFiles.get(program);
    Await.until(
        "the program's pool to run",
        Duration.ofSeconds(150),
        () -> {
          if (Files.exists(pidFile)) return true;
          if (!program.isAlive()) {
            throw new AssertionError(
                "the program ended before its pool ran; see "
                    + LOGS.resolve("program-" + mode + ".log"));
          }
          return false;
        });
    List<Long> pids =
        Arrays.stream(Files.readString(pidFile).trim().split(" ")).map(Long::parseLong).toList();
    workers.addAll(pids);
    assertEquals(2, pids.size());
    return pids;
  }

  private static void assertAllGone(List<Long> pids) {
    Await.until(
        "worker JVMs " + pids + " to end",
        GONE_WITHIN,
        () ->
            pids.stream()
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
  }
}
