package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.http.HttpApi;
import org.clusterpool.coordinator.members.LocalCluster;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.coordinator.pool.TaskUnavailableException;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.catalog.TaskPaths;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;
import org.clusterpool.node.launcher.Ports;
import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task of one's own, compiled at test time into a jar, everywhere a task runs: the embedded pool,
 * {@code --nodes 2} and a local cluster through {@code --connect}, every result checked. Then the
 * cluster gains a node without the jar and a node with another version of it: a job runs only on
 * the nodes of its version, status shows the versions that differ, and what no node has is refused
 * before any work starts, saying what each node has.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class OwnTasksAcrossJvmsTest {
  private static final Pattern WHERE = Pattern.compile("Where\\[cube=(-?[0-9]+), pid=([0-9]+)\\]");

  @TempDir static Path dir;
  private Path v1;
  private Path v2;
  private LocalCluster cluster;
  private HttpApi api;
  private final List<JvmProcess> extraNodes = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    v1 = CubeSources.v1(dir.resolve("v1/cube-task.jar"));
    v2 = CubeSources.v2(dir.resolve("v2/cube-task.jar"));
    cluster = LocalCluster.start(2, 1, Files.createTempDirectory("own-tasks-logs"), List.of(v1));
    api = SharedCluster.startApi(cluster, SharedCluster.settings(cluster));
  }

  @AfterAll
  void stop() {
    try {
      for (JvmProcess node : extraNodes) node.stop(Duration.ofSeconds(15));
      if (api != null) api.close();
    } finally {
      if (cluster != null) cluster.close();
    }
    for (JvmProcess node : extraNodes) assertFalse(node.isAlive(), node + " still runs");
  }

  private static List<String> cubes(long from, long to) {
    List<String> out = new ArrayList<>();
    for (long x = from; x <= to; x++) out.add(Long.toString(x * x * x));
    return out;
  }

  /** The pids of the JVMs that computed each {@code Where}, checking each cube in input order. */
  private static Set<Long> checkWhere(MainTest.Run run, long from, long to) {
    assertEquals(0, run.code(), run.err());
    List<String> lines = run.lines();
    assertEquals(to - from + 1, lines.size(), run.out());
    Set<Long> pids = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = WHERE.matcher(lines.get(i));
      assertTrue(m.matches(), lines.get(i));
      long x = from + i;
      assertEquals(x * x * x, Long.parseLong(m.group(1)), "input " + x);
      pids.add(Long.parseLong(m.group(2)));
    }
    return pids;
  }

  @Test
  void theTaskRunsEmbeddedWithItsJarGiven() {
    MainTest.Run run = MainTest.run("map", "cube", "1..10", "--tasks", v1.toString());
    assertEquals(0, run.code(), run.err());
    assertEquals(cubes(1, 10), run.lines());
    assertEquals(
        Set.of(ProcessHandle.current().pid()),
        checkWhere(MainTest.run("map", "cube-where", "1..5", "--tasks", v1.toString()), 1, 5));
    MainTest.Run refused = MainTest.run("map", "cube", "3000000", "--tasks", v1.toString());
    assertEquals(2, refused.code());
    assertEquals(
        "clusterpool: input '3000000' is refused: cube: accepted -2097151..2097151\n",
        refused.err());
  }

  @Test
  void theTaskRunsOnTwoWorkerJvmsThatTheCommandStartsWithTheSameJar() {
    MainTest.Run run =
        MainTest.run(
            "map",
            "cube-where",
            "1..40",
            "--tasks",
            v1.toString(),
            "--nodes",
            "2",
            "--workers",
            "1",
            "--chunksize",
            "1");
    Set<Long> pids = checkWhere(run, 1, 40);
    assertEquals(2, pids.size(), "both worker JVMs loaded the jar and ran it: " + pids);
    assertFalse(pids.contains(ProcessHandle.current().pid()));
  }

  @Test
  void theTaskRunsOnALocalClusterThroughConnectAndTheConnectionChecksItFirst() {
    String url = URI.create(api.url()).toString();
    MainTest.Run run =
        MainTest.run(
            "map",
            "cube",
            "1..10",
            "--connect",
            url,
            "--token-file",
            SharedCluster.tokenFile().toString(),
            "--tasks",
            v1.toString());
    assertEquals(0, run.code(), run.err());
    assertEquals(cubes(1, 10), run.lines());
    Set<Long> pids =
        checkWhere(
            MainTest.run(
                "map",
                "cube-where",
                "1..20",
                "--chunksize",
                "1",
                "--connect",
                url,
                "--token-file",
                SharedCluster.tokenFile().toString(),
                "--tasks",
                v1.toString()),
            1,
            20);
    Set<Long> nodes = new HashSet<>();
    cluster.nodes().forEach(node -> nodes.add(node.pid()));
    assertTrue(nodes.containsAll(pids), pids + " are the cluster's worker JVMs " + nodes);

    MainTest.Run without =
        MainTest.run(
            "map",
            "cube",
            "1..10",
            "--connect",
            url,
            "--token-file",
            SharedCluster.tokenFile().toString());
    assertEquals(2, without.code());
    assertTrue(
        without.err().startsWith("clusterpool: unknown task 'cube': accepted: count-primes,"),
        without.err());
    assertTrue(
        without.err().endsWith("(a task of your own: give its jar with --tasks PATH)\n"),
        without.err());

    MainTest.Run other =
        MainTest.run(
            "map",
            "cube",
            "1..10",
            "--connect",
            url,
            "--token-file",
            SharedCluster.tokenFile().toString(),
            "--tasks",
            v2.toString());
    assertEquals(2, other.code(), other.err());
    assertEquals(1, other.err().lines().count(), other.err());
    assertTrue(
        other
            .err()
            .matches(
                "clusterpool: task 'cube' here is sha256:[0-9a-f]{16}, and the coordinator at "
                    + Pattern.quote(url)
                    + " has sha256:[0-9a-f]{16} \\(from "
                    + Pattern.quote(v1.toString())
                    + "\\): another version; give the cluster the same jar as"
                    + " this command\n"),
        other.err());
  }

  @Test
  void aNodeWithoutTheTaskAndANodeWithAnotherVersionGetNoneOfItsWorkAndStatusSaysSo()
      throws Exception {
    String seed = cluster.coordinator().address();
    long self = ProcessHandle.current().pid();
    Set<Integer> taken = new HashSet<>();
    int port = Ports.freeFrom(27100, taken);
    taken.add(port);
    JvmProcess taskless =
        JvmLauncher.start(
            JvmSpec.workerNode(
                    "taskless",
                    port,
                    List.of(seed),
                    1,
                    self,
                    cluster.logDir().resolve("taskless.log"),
                    TaskPaths.NONE)
                .withProperties(cluster.transportFor("taskless").settings()));
    extraNodes.add(taskless);
    JvmProcess other =
        JvmLauncher.start(
            JvmSpec.workerNode(
                    "other-version",
                    Ports.freeFrom(port + 1, taken),
                    List.of(seed),
                    1,
                    self,
                    cluster.logDir().resolve("other-version.log"),
                    TaskPaths.of(List.of(v2)))
                .withProperties(cluster.transportFor("other-version").settings()));
    extraNodes.add(other);
    ApiClient client = new ApiClient(URI.create(api.url()), SharedCluster.TOKEN);
    await(
        "four worker nodes, two versions of 'cube'",
        () -> {
          JsonNode tasks = client.get("/cluster").path("tasks");
          return tasks.path("worker_nodes").asInt() == 4
              && tasks.path("versions_differ").toString().equals("[\"cube\"]");
        });
    JsonNode tasks = client.get("/cluster").path("tasks");
    String v1Print =
        TaskCatalog.load(TaskPaths.of(List.of(v1))).entry("cube").orElseThrow().fingerprint();
    String v2Print =
        TaskCatalog.load(TaskPaths.of(List.of(v2))).entry("cube").orElseThrow().fingerprint();
    for (JsonNode version : tasks.path("versions")) {
      if (!version.path("task").asText().equals("cube")) continue;
      String fingerprint = version.path("fingerprint").asText();
      assertTrue(fingerprint.equals(v1Print) || fingerprint.equals(v2Print), fingerprint);
      assertEquals(
          fingerprint.equals(v1Print) ? 2 : 1, version.path("nodes").asInt(), version.toString());
      if (fingerprint.equals(v2Print))
        assertTrue(
            version.path("on").get(0).asText().endsWith(":" + other.spec().args().get(1)),
            version.toString());
    }

    // a job of the first version: every result is the first version's, and the node without the jar
    // runs none of it
    String url = URI.create(api.url()).toString();
    MainTest.Run run =
        MainTest.run(
            "map",
            "cube",
            "1..300",
            "--chunksize",
            "1",
            "--connect",
            url,
            "--token-file",
            SharedCluster.tokenFile().toString(),
            "--tasks",
            v1.toString());
    assertEquals(0, run.code(), run.err());
    assertEquals(cubes(1, 300), run.lines(), "no result of the other version");
    for (JsonNode worker : client.get("/cluster").path("workers")) {
      if (worker.path("pid").asLong() == taskless.pid())
        assertEquals(0, worker.path("chunks_done").asLong(), worker.toString());
    }

    // in Java, with the second version's class in this JVM: only the node of that version runs it
    @SuppressWarnings("unchecked")
    Task<Long, Long> second =
        (Task<Long, Long>) TaskCatalog.load(TaskPaths.of(List.of(v2))).get("cube");
    List<Long> plusOne = cluster.pool().map(second, Inputs.range(1, 50), 1);
    for (int i = 0; i < 50; i++)
      assertEquals((long) (i + 1) * (i + 1) * (i + 1) + 1, plusOne.get(i), "input " + (i + 1));

    // what no node has is refused before any work starts, naming the nodes
    LongTask times =
        new LongTask() {
          @Override
          public String name() {
            return "times";
          }

          @Override
          public String description() {
            return "2 x";
          }

          @Override
          public long applyAsLong(long x, TaskContext context) {
            return 2 * x;
          }
        };
    TaskUnavailableException lacking =
        assertThrows(TaskUnavailableException.class, () -> cluster.pool().map(times, List.of(1L)));
    assertTrue(
        lacking
            .getMessage()
            .startsWith("the job was refused: no worker node has task 'times' (sha256:"),
        lacking.getMessage());
    assertTrue(
        lacking
            .getMessage()
            .contains("and 1 more have no task 'times' (they have count-primes, cube, cube-where,"),
        lacking.getMessage());
    TaskUnavailableException function =
        assertThrows(
            TaskUnavailableException.class,
            () ->
                cluster
                    .pool()
                    .map(
                        Task.cpu("cube", ValueTypes.LONG, ValueTypes.LONG, x -> x * x * x),
                        List.of(1L)));
    assertTrue(function.getMessage().contains("is made from a function"), function.getMessage());
  }

  private static void await(String what, ThrowingCondition condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) throw new AssertionError("waited 90 s for " + what);
      Thread.sleep(100);
    }
  }

  private interface ThrowingCondition {
    boolean holds() throws Exception;
  }
}
