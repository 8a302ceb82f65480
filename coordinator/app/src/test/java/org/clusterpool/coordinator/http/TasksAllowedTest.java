package org.clusterpool.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.coordinator.scheduler.CoordinatorGuardian;
import org.clusterpool.coordinator.scheduler.CoordinatorSettings;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.catalog.TaskNotAllowedException;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.task.LongTask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * clusterpool.tasks.allowed, the operator's choice of what a server runs: a job for a task it
 * leaves out is refused before any of it runs, with one line that says so: 403 from the HTTP API
 * (map and gather), a {@link TaskNotAllowedException} from a pool, exit code 2 and one line from
 * the command line; an allowed task is taken.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class TasksAllowedTest {
  private static final String REFUSED =
      "task 'halt' is not allowed on this cluster (clusterpool.tasks.allowed: *, !halt)";

  private ActorSystem<Void> system;
  private ActorRef<CoordinatorProtocol.Command> coordinator;
  private HttpApi api;

  @BeforeAll
  void start() {
    Config config =
        ConfigFactory.parseString(
                """
                clusterpool.tasks.allowed = ["*", "!halt"]
                pekko.cluster.roles = [coordinator]
                pekko.remote.artery.canonical.port = 0
                """)
            .withFallback(LayeredConfig.load("local-cluster"));
    system = ActorSystem.create(Behaviors.empty(), "clusterpool", config);
    Cluster cluster = Cluster.get(system);
    cluster
        .manager()
        .tell(
            Join.create(
                cluster.selfMember().address())); // a member of its own: the API asks its cluster
    coordinator =
        system.systemActorOf(
            CoordinatorGuardian.create(CoordinatorSettings.fromConfig(config)),
            "coordinator",
            Props.empty());
    HttpSettings settings = HttpSettings.fromConfig(config).withAddress("127.0.0.1", 0);
    api =
        HttpApi.start(
            system,
            coordinator,
            settings.withAccess(settings.access().withToken(SharedCluster.TOKEN)));
  }

  @AfterAll
  void stop() {
    try {
      if (api != null) api.close();
    } finally {
      system.terminate();
    }
  }

  @Test
  void theApiRefusesAMapOrAGatherOfATaskNotAllowedWith403() {
    Http http = new Http(URI.create(api.url()), SharedCluster.TOKEN);
    Http.Response map = http.post("/map", "{\"task\": \"halt\", \"inputs\": \"1..3\"}");
    assertEquals(403, map.status(), map.raw().body());
    assertTrue(map.error().startsWith(REFUSED), map.error());
    assertFalse(map.error().contains("\n"));
    Http.Response gather = http.post("/gather", "{\"calls\": [\"square:2\", \"halt:1\"]}");
    assertEquals(403, gather.status(), gather.raw().body());
    assertTrue(gather.error().startsWith(REFUSED), gather.error());
    assertEquals(
        0,
        http.get("/jobs").json().path("jobs").size(),
        "no job was made: " + http.get("/jobs").raw().body());

    Http.Response allowed = http.post("/map", "{\"task\": \"square\", \"inputs\": \"1..3\"}");
    assertEquals(201, allowed.status(), allowed.raw().body());
  }

  @Test
  void aPoolRefusesItBeforeSendingAnything() {
    ClusterPool pool = ClusterPool.connect(system, coordinator, 1);
    try {
      LongTask halt = (LongTask) TaskCatalog.shared().get("halt");
      TaskNotAllowedException e =
          assertThrows(TaskNotAllowedException.class, () -> pool.map(halt, Inputs.range(1, 2)));
      assertTrue(e.getMessage().startsWith(REFUSED), e.getMessage());
    } finally {
      pool.terminate();
    }
  }

  @Test
  void theCommandLineSaysSoInOneLineAndExits2(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("map.log");
    JvmProcess cli =
        JvmLauncher.start(
            new JvmSpec(
                "map-halt",
                "org.clusterpool.coordinator.cli.Main",
                List.of("map", "halt", "1..3"),
                "256m",
                log,
                Map.of(
                    "clusterpool.tasks.allowed",
                    "*,!halt",
                    "logback.configurationFile",
                    "logback.xml")));
    try {
      assertTrue(cli.waitFor(Duration.ofSeconds(90)), "the command did not end");
      List<String> lines =
          Files.readAllLines(log).stream()
              .filter(l -> !l.isBlank() && !l.startsWith("Picked up"))
              .toList();
      assertEquals(2, cli.exitCode(), String.join("\n", lines));
      // the log file holds the embedded pool's log too: the error is one line of its own, with no
      // stack trace
      List<String> errors = lines.stream().filter(l -> l.startsWith("clusterpool: ")).toList();
      assertEquals(1, errors.size(), String.join("\n", lines));
      assertTrue(errors.get(0).startsWith("clusterpool: " + REFUSED), errors.get(0));
      assertTrue(
          lines.stream().noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception")),
          String.join("\n", lines));
    } finally {
      cli.kill();
    }
  }
}
