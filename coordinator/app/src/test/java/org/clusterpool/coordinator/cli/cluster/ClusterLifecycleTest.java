package org.clusterpool.coordinator.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.ApiToken;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.StateFile;
import org.clusterpool.node.catalog.TaskJars;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A local cluster of real JVMs through the commands a user types: {@code cluster up 2}, {@code
 * status}, {@code map whoami --connect}, {@code add 1}, {@code kill 1} (the node is downed at once
 * and replaced), the coordinator dying under a running job (its worker JVMs leave with it), and
 * {@code down}, after which none of the cluster's processes remains; {@code --no-restart}, where a
 * killed node stays dead; a worker JVM that cannot start, which fails {@code up} with its reason.
 * Every JVM a command started is killed after each test, whatever happened: they are the processes
 * whose command line names this test's temporary home.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class ClusterLifecycleTest {
  @RegisterExtension static final TemporaryHome home = new TemporaryHome();
  private final Set<Long> started = new HashSet<>();

  @AfterEach
  void stopEverythingThatWasStarted() {
    try {
      Cli.run("cluster", "down");
    } finally {
      rememberStarted();
      for (long pid : started) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      home.jvms().forEach(ProcessHandle::destroyForcibly);
      started.clear();
    }
  }

  /**
   * Every pid the state file has named: the safety net of {@link #stopEverythingThatWasStarted}.
   */
  private void rememberStarted() {
    StateFile.read().ifPresent(state -> state.members().forEach(m -> started.add(m.pid())));
  }

  private static ClusterState state() {
    return StateFile.read().orElseThrow(() -> new AssertionError("no cluster state"));
  }

  private static ClusterState.Member member(String name) {
    return state()
        .member(name)
        .orElseThrow(() -> new AssertionError("no " + name + " in the state"));
  }

  private static long pidOf(String name) {
    return member(name).pid();
  }

  /** The pids that answered {@code whoami}: the last word of each line. */
  private static Set<Long> pidsOf(Cli.Run whoami) {
    return whoami.lines().stream()
        .map(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)))
        .collect(Collectors.toSet());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("waited 60 s for " + what);
      Thread.sleep(50);
    }
  }

  private static boolean gone(long pid) {
    return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
  }

  /**
   * {@code cluster up} made one token for the cluster and keeps it in its state file, readable by
   * this user only; the commands above sent it without being told; the API refuses a request
   * without it, or with another one, in one line.
   */
  private void theClusterHasATokenThatItsCommandsSendByThemselves(Cli.Run answered)
      throws Exception {
    assertEquals(0, answered.code());
    ClusterState state = state();
    assertTrue(state.token().matches("[A-Za-z0-9_-]{43}"), "a token of 256 random bits");
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(StateFile.location())));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(StateFile.location().getParent())));
    Cli.Run token = Cli.run("cluster", "token");
    assertEquals(state.token() + "\n", token.out(), "for curl: " + token);
    assertFalse(
        Files.readString(Path.of(state.logs()).resolve("coordinator.log")).contains(state.token()),
        "never in a log");

    ApiClient.Failure none =
        assertThrows(
            ApiClient.Failure.class, () -> new ApiClient(URI.create(state.http())).get("/cluster"));
    assertEquals(401, none.status());
    ApiClient.Failure other =
        assertThrows(
            ApiClient.Failure.class,
            () -> new ApiClient(URI.create(state.http()), ApiToken.random()).get("/cluster"));
    assertEquals(401, other.status());

    // --connect URL to this cluster finds its token in the state file too; a wrong one given fails
    // in one line
    Cli.Run byUrl = Cli.run("map", "square", "1..3", "--connect", state.http());
    assertEquals("1\n4\n9\n", byUrl.out(), byUrl.toString());
    Path wrong = home.resolve("wrong-token");
    Files.writeString(wrong, ApiToken.random());
    Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
    Cli.Run refused =
        Cli.run(
            "map", "square", "1..3", "--connect", state.http(), "--token-file", wrong.toString());
    assertEquals(1, refused.code(), refused.toString());
    assertEquals(1, refused.err().lines().count(), refused.err());
    assertTrue(
        refused.err().contains("refused the token given: it is not this cluster's"), refused.err());
  }

  @Test
  void aLocalClusterFromUpToDown() throws Exception {
    Cli.Run up = Cli.run("cluster", "up", "2", "--workers", "2");
    rememberStarted();
    assertEquals(0, up.code(), up.toString());
    assertTrue(up.out().startsWith("cluster up in "), up.out());
    assertTrue(up.out().contains("cluster down"), "it says how to stop it: " + up.out());
    assertTrue(up.out().contains("--connect"), "it says how to use it: " + up.out());
    assertTrue(
        up.out().contains("curl -s -H \"Authorization: Bearer $("),
        "and with curl, with its token: " + up.out());
    assertTrue(
        up.out()
            .contains(
                "restarts: a worker JVM that ends is downed at once and started again by the"
                    + " coordinator JVM after 0.5 s"),
        up.out());
    ClusterState state = state();
    assertEquals(
        List.of("coordinator", "worker-node-1", "worker-node-2"),
        state.members().stream().map(ClusterState.Member::name).toList());
    // the members speak mutual TLS, with certificates of a CA made for this cluster, in a directory
    // of its own
    assertTrue(up.out().contains("security: the members speak mutual TLS"), up.out());
    Path ca =
        SupervisedCluster.caDirectory(
            StateFile.location(), state.coordinator().orElseThrow().pid());
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(ca)),
        ca.toString());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(ca.resolve("members").resolve("worker-node-1.p12"))));
    for (ClusterState.Member member : state.members())
      assertTrue(MemberProcesses.alive(member), member.toString());
    assertTrue(
        Files.exists(Path.of(state.logs()).resolve("coordinator.log")),
        "logs in one folder: " + state.logs());
    long coordinator = state.coordinator().orElseThrow().pid();
    assertEquals(
        Set.of(pidOf("worker-node-1"), pidOf("worker-node-2")),
        ProcessHandle.of(coordinator)
            .orElseThrow()
            .children()
            .map(ProcessHandle::pid)
            .collect(Collectors.toSet()),
        "the coordinator JVM started the worker JVMs: it owns them");

    Cli.Run again = Cli.run("cluster", "up", "1");
    assertEquals(1, again.code());
    assertTrue(again.err().startsWith("clusterpool: a cluster runs already"), again.err());

    Cli.Run status = Cli.run("cluster", "status");
    assertEquals(0, status.code(), status.toString());
    for (ClusterState.Member member : state.members()) {
      assertTrue(
          status.out().contains(member.name())
              && status.out().contains(Long.toString(member.pid())),
          status.out());
    }
    assertTrue(status.out().contains("workers (4)"), status.out());
    assertTrue(
        status
            .out()
            .contains(
                "worker JVMs, supervised by the coordinator JVM (a JVM that ends is replaced;"
                    + " downed at once on their end, without waiting for the failure detector:"
                    + " 0):"),
        status.out());
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
    assertTrue(
        ProcessHandle.of(node3)
            .orElseThrow()
            .parent()
            .map(p -> p.pid() == coordinator)
            .orElse(false),
        "the coordinator JVM started it, so that it supervises it too");
    Cli.Run wider = Cli.run("map", "whoami", "1..24", "--chunksize", "1", "--connect");
    assertEquals(0, wider.code(), wider.toString());
    assertEquals(
        Set.of(node1, node2, node3),
        pidsOf(wider),
        "the next job uses the new node: " + wider.out());

    theClusterHasATokenThatItsCommandsSendByThemselves(whoami);

    aNodeStartedByHandBesideItJoinsWithACertificateOfItsCa(state.seed());

    aKilledNodeIsDownedAtOnceAndReplaced(node1, Set.of(node2, node3));

    coordinatorDyingUnderAJobIsAClearErrorNotAHang(state().coordinator().orElseThrow());

    Cli.Run down = Cli.run("cluster", "down");
    assertEquals(0, down.code(), down.toString());
    assertTrue(down.out().contains("no process of the cluster remains"), down.out());
    for (long pid : started) {
      ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
      assertFalse(
          ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "pid " + pid + " is gone");
    }
    assertEquals(List.of(), home.jvms(), "no JVM of the cluster remains");
    assertFalse(Files.exists(StateFile.location()), "the state file went with the cluster");
  }

  /**
   * {@code clusterpool node --seed} of the same user, beside the cluster, takes a certificate of
   * the cluster's CA by itself (the members speak mutual TLS), joins, and gets work; then it
   * leaves.
   */
  private void aNodeStartedByHandBesideItJoinsWithACertificateOfItsCa(String seed)
      throws Exception {
    Path log = home.resolve("hand-node.log");
    try (JvmProcess hand =
        JvmLauncher.start(
            new JvmSpec(
                "hand-node",
                "org.clusterpool.coordinator.cli.Main",
                List.of(
                    "node",
                    "--seed",
                    seed,
                    "--workers",
                    "1",
                    "--parent-pid",
                    Long.toString(ProcessHandle.current().pid())),
                "256m",
                log,
                Map.of("logback.configurationFile", "logback.xml")))) {
      await(
          "the node started by hand to join",
          () -> {
            Cli.Run status = Cli.run("map", "whoami", "1..40", "--chunksize", "1", "--connect");
            if (!hand.isAlive())
              throw new AssertionError("the node started by hand ended:\n" + read(log));
            return status.code() == 0 && pidsOf(status).contains(hand.pid());
          });
      assertTrue(
          Files.exists(
              SupervisedCluster.caDirectory(
                      StateFile.location(), state().coordinator().orElseThrow().pid())
                  .resolve("members")
                  .resolve("node-" + hand.pid() + ".p12")),
          "its certificate, made for it by the cluster's CA");
      assertTrue(hand.stop(Duration.ofSeconds(30)), "SIGTERM: it leaves");
    }
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private void aKilledNodeIsDownedAtOnceAndReplaced(long node1, Set<Long> others) throws Exception {
    String oldAddress = member("worker-node-1").address();
    Cli.Run kill = Cli.run("cluster", "kill", "1");
    assertEquals(0, kill.code(), kill.toString());
    assertTrue(kill.out().startsWith("killed worker-node-1 (pid " + node1 + ","), kill.out());
    assertTrue(
        kill.out()
            .contains(
                "saw it end (code 137 / killed): downed at once, so the chunks it held run again on"
                    + " the other workers now; a new JVM takes its place in 0.5 s"),
        kill.out());
    assertTrue(gone(node1), "kill -9 leaves no process");

    await(
        "the replacement of worker-node-1",
        () -> {
          rememberStarted();
          ClusterState.Member now = member("worker-node-1");
          return now.running() && now.pid() != node1;
        });
    ClusterState.Member replaced = member("worker-node-1");
    assertEquals(1, replaced.restarts());
    ClusterState.Exit exit = replaced.lastExit().orElseThrow();
    assertEquals(node1, exit.pid());
    assertEquals("code 137 / killed", exit.cause());
    assertEquals(
        "downed at once",
        exit.member(),
        "the supervisor downed it: the failure detector had no part in it");
    assertEquals(500, exit.restartDelayMillis());
    assertNotEquals(
        oldAddress, replaced.address(), "a new address: the old one's member was removed");

    ApiClient api = new ApiClient(URI.create(state().http()), state().token());
    ClusterWait.forNodes(
        api,
        state().coordinator().orElseThrow(),
        List.of("worker-node-1"),
        2,
        Duration.ofSeconds(60),
        Path.of(state().logs()),
        "the replacement joined");
    await(
        "the killed member's removal",
        () -> {
          for (JsonNode m : api.get("/cluster").path("members"))
            if (m.path("address").asText().equals(oldAddress)) return false;
          return true;
        });

    Cli.Run status = Cli.run("cluster", "status");
    assertEquals(0, status.code(), status.toString());
    Pattern row =
        Pattern.compile(
            "(?m)^\\s+1\\s+worker-node-1\\s+"
                + replaced.pid()
                + "\\s+running\\s+1\\s+pid "
                + node1
                + ", code 137 / killed after .*: downed at once, replaced after 0\\.5 s$");
    assertTrue(
        row.matcher(status.out()).find(),
        "status shows the restart and the last exit: " + status.out());
    assertEquals(
        1,
        member("worker-node-1").downedOnExit(),
        "counted as downed by the coordinator JVM on its end");
    assertTrue(
        status
            .out()
            .contains("downed at once on their end, without waiting for the failure detector: 1):"),
        status.out());

    Cli.Run whoami = Cli.run("map", "whoami", "1..24", "--chunksize", "1", "--connect");
    assertEquals(0, whoami.code(), whoami.toString());
    Set<Long> expected = new HashSet<>(others);
    expected.add(replaced.pid());
    assertEquals(
        expected, pidsOf(whoami), "the replacement works beside the others: " + whoami.out());
  }

  private void coordinatorDyingUnderAJobIsAClearErrorNotAHang(ClusterState.Member coordinator)
      throws Exception {
    List<Long> workers =
        state().workers().stream()
            .filter(ClusterState.Member::running)
            .map(ClusterState.Member::pid)
            .toList();
    ApiClient api = new ApiClient(URI.create(state().http()), state().token());
    ExecutorService client = Executors.newSingleThreadExecutor();
    try {
      Future<Cli.Run> job =
          client.submit(() -> Cli.run("gather", "sleep:60", "sleep:60", "--connect"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!running(api) && System.nanoTime() < deadline) Thread.sleep(100);
      assertTrue(running(api), "the job runs");
      ProcessHandle.of(coordinator.pid()).orElseThrow().destroyForcibly();

      Cli.Run lost = job.get(60, TimeUnit.SECONDS);
      assertEquals(1, lost.code(), lost.toString());
      assertEquals(1, lost.err().lines().count(), lost.toString());
      assertTrue(
          lost.err()
              .startsWith(
                  "clusterpool: lost the coordinator at " + state().http() + " during job "),
          lost.err());
    } finally {
      client.shutdownNow();
    }
    ProcessHandle.of(coordinator.pid())
        .ifPresent(h -> h.onExit().orTimeout(10, TimeUnit.SECONDS).join());
    Cli.Run status = Cli.run("cluster", "status");
    assertEquals(1, status.code());
    assertTrue(
        status
            .err()
            .contains(
                "the cluster is not running: its coordinator (pid "
                    + coordinator.pid()
                    + ") is gone"),
        status.err());
    for (long worker : workers)
      await(
          "worker JVM " + worker + " to leave with the coordinator JVM it watches",
          () -> gone(worker));
  }

  private static boolean running(ApiClient api) {
    try {
      for (JsonNode job : api.get("/jobs").path("jobs"))
        if (job.path("state").asText().equals("running")) return true;
    } catch (ApiClient.Unreachable | ApiClient.Failure e) {
      return false;
    }
    return false;
  }

  @Test
  void clusterUpWithTasksGivesEveryJvmTheJarAndTheCommandsThatUseTheClusterTakeIt()
      throws Exception {
    Path jar =
        TaskJars.jar(
            home.resolve("tasks/cube-task.jar"),
            Map.of(
                TaskJars.file("com.example.Cube"),
                TaskJars.longTask("com.example", "Cube", "cube", "x * x * x")),
            List.of("com.example.Cube"));
    Cli.Run up = Cli.run("cluster", "up", "2", "--workers", "1", "--tasks", jar.toString());
    rememberStarted();
    assertEquals(0, up.code(), up.toString());
    assertTrue(up.out().contains(" (1 of your own: cube), from " + jar), up.out());
    assertEquals(List.of(jar.toString()), state().tasks());

    Cli.Run cubes =
        Cli.run("map", "cube", "1..10", "--connect"); // the cluster's tasks: no --tasks needed here
    assertEquals(0, cubes.code(), cubes.toString());
    assertEquals(
        List.of("1", "8", "27", "64", "125", "216", "343", "512", "729", "1000"), cubes.lines());

    Cli.Run add = Cli.run("cluster", "add", "1", "--tasks", jar.toString());
    rememberStarted();
    assertEquals(0, add.code(), add.toString());
    assertTrue(add.out().contains("with the cluster's tasks: " + jar), add.out());
    JsonNode tasks =
        new ApiClient(URI.create(state().http()), state().token()).get("/cluster").path("tasks");
    assertEquals(3, tasks.path("worker_nodes").asInt(), tasks.toString());
    for (JsonNode version : tasks.path("versions")) {
      if (version.path("task").asText().equals("cube"))
        assertEquals(3, version.path("nodes").asInt(), "every node has it: " + tasks);
    }

    Path other =
        TaskJars.jar(
            home.resolve("tasks/other.jar"),
            Map.of(
                TaskJars.file("com.example.Twice"),
                TaskJars.longTask("com.example", "Twice", "twice", "2 * x")),
            List.of("com.example.Twice"));
    Cli.Run refused = Cli.run("cluster", "add", "1", "--tasks", other.toString());
    assertEquals(2, refused.code(), refused.toString());
    assertEquals(
        "clusterpool: cluster add starts its JVMs with the tasks the cluster was started with ("
            + jar
            + "), not "
            + other
            + ": a node of other tasks joins with '"
            + ClusterCommand.program()
            + " node --seed "
            + state().seed()
            + " --tasks PATH'\n",
        refused.err());

    Cli.Run status = Cli.run("cluster", "status");
    assertEquals(0, status.code(), status.toString());
    assertTrue(status.out().contains("tasks on the 3 worker nodes: "), status.out());
    assertTrue(status.out().contains(", each at one version"), status.out());
  }

  @Test
  void withNoRestartAKilledNodeStaysDead() throws Exception {
    Cli.Run up = Cli.run("cluster", "up", "2", "--workers", "1", "--no-restart");
    rememberStarted();
    assertEquals(0, up.code(), up.toString());
    assertTrue(
        up.out()
            .contains(
                "restarts: off (--no-restart): a worker JVM that ends is downed at once and stays"
                    + " dead"),
        up.out());
    long node1 = pidOf("worker-node-1");
    long coordinator = state().coordinator().orElseThrow().pid();

    Cli.Run kill = Cli.run("cluster", "kill", "1");
    assertEquals(0, kill.code(), kill.toString());
    assertTrue(
        kill.out()
            .contains(
                "downed at once, so the chunks it held run again on the other workers now; it is"
                    + " not replaced (the cluster runs with --no-restart)"),
        kill.out());
    await("its end recorded", () -> member("worker-node-1").lastExit().isPresent());
    Thread.sleep(
        1500); // three times the shortest restart delay: a restart that should not come would have
    // come
    ClusterState.Member dead = member("worker-node-1");
    assertEquals(ClusterState.DEAD, dead.status());
    assertEquals(0, dead.restarts());
    assertFalse(dead.lastExit().orElseThrow().replaced());
    assertEquals(
        Set.of(pidOf("worker-node-2")),
        ProcessHandle.of(coordinator)
            .orElseThrow()
            .children()
            .map(ProcessHandle::pid)
            .collect(Collectors.toSet()),
        "no JVM was started in its place");

    Cli.Run status = Cli.run("cluster", "status");
    assertEquals(0, status.code(), status.toString());
    assertTrue(status.out().contains("--no-restart: a JVM that ends stays dead"), status.out());
    assertTrue(
        Pattern.compile(
                "(?m)^\\s+1\\s+worker-node-1\\s+-\\s+dead\\s+0\\s+pid "
                    + node1
                    + ", code 137 / killed after .*: downed at once,"
                    + " not replaced$")
            .matcher(status.out())
            .find(),
        status.out());
    Cli.Run again = Cli.run("cluster", "kill", "1");
    assertEquals(1, again.code());
    assertTrue(again.err().contains("worker-node-1 has no JVM running now (dead)"), again.err());

    ApiClient api = new ApiClient(URI.create(state().http()), state().token());
    JsonNode nodes = api.get("/nodes").path("nodes");
    assertEquals("dead", nodes.path(0).path("state").asText(), nodes.toString());
    assertEquals(
        "downed at once",
        nodes.path(0).path("last_exit").path("member").asText(),
        nodes.toString());
    ApiClient.Failure refused =
        assertThrows(
            ApiClient.Failure.class,
            () -> api.post("/nodes", JsonNodeFactory.instance.objectNode().put("count", 0)));
    assertEquals(400, refused.status());
    assertTrue(
        refused
            .getMessage()
            .contains("POST /nodes takes {\"count\": K} with K a whole number from 1 to 64"),
        refused.getMessage());
    // nothing besides the count, and the count once: each would start a JVM unasked
    for (String body : List.of("{\"count\": 1, \"count\": 1}", "{\"count\": 1, \"zzz\": 1}")) {
      ApiClient.Failure odd =
          assertThrows(
              ApiClient.Failure.class,
              () -> api.post("/nodes", body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertEquals(400, odd.status(), body);
      assertTrue(
          odd.getMessage().contains("once: Duplicate field 'count'")
              || odd.getMessage().contains("with K a whole number"),
          odd.getMessage());
    }

    Cli.Run add = Cli.run("cluster", "add", "1");
    rememberStarted();
    assertEquals(0, add.code(), add.toString());
    assertTrue(
        add.out().startsWith("added worker-node-3 (pid " + pidOf("worker-node-3")), add.out());
    assertTrue(add.out().contains("the cluster has 2 worker nodes and 2 workers"), add.out());
  }

  @Test
  void aWorkerJvmThatCannotStartFailsUpWithItsReasonAndLeavesNothing() {
    // -Xmx1m under the launcher's -Xms16m: the worker JVM refuses to start, each time it is tried
    Cli.Run up = Cli.run("cluster", "up", "1", "--heap", "1m", "--workers", "1");
    assertEquals(1, up.code(), up.toString());
    assertEquals(1, up.err().lines().count(), up.toString());
    assertTrue(up.err().startsWith("clusterpool: worker-node-1 (pid "), up.err());
    assertTrue(
        up.err().contains(") exited (code 1) 3 times while the cluster formed; see "), up.err());
    assertTrue(
        up.err()
            .endsWith(
                "worker-node-1.log; its log ends with: Initial heap size set to a larger value than"
                    + " the maximum heap size\n"),
        up.err());
    assertFalse(Files.exists(StateFile.location()), "nothing is left of the cluster");
    assertEquals(List.of(), home.jvms(), "no JVM of the cluster remains");
  }
}
