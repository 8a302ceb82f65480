package org.clusterpool.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;
import org.clusterpool.node.launcher.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code clusterpool coordinator} in a JVM of its own, joining a running cluster as a second
 * coordinator-role member: the Cluster Singleton stays on the oldest member, and the new member's
 * HTTP API reaches it through the singleton proxy, as a Kubernetes replica's would.
 */
@ExtendWith(SharedCluster.Extension.class)
@ExtendWith(LogCapturingExtension.class)
@Timeout(120)
class StandbyCoordinatorTest {

  @Test
  void aSecondCoordinatorsApiReachesTheSingletonThroughItsProxy(SharedCluster shared) {
    int httpPort = Ports.any();
    String seed = shared.cluster().coordinator().address();
    Path log = Path.of("target", "test-logs", "standby-coordinator.log");
    JvmSpec spec =
        new JvmSpec(
                "standby-coordinator",
                "org.clusterpool.coordinator.cli.Main",
                List.of(
                    "coordinator",
                    "--port",
                    "0",
                    "--http-port",
                    Integer.toString(httpPort),
                    "--seed",
                    seed,
                    "--parent-pid",
                    Long.toString(ProcessHandle.current().pid())),
                "256m",
                log,
                Map.of("logback.configurationFile", "logback.xml"))
            .withEnvironment(Map.of("CLUSTERPOOL_TOKEN", SharedCluster.TOKEN))
            .withProperties(
                shared
                    .cluster()
                    .transportFor("standby-coordinator")
                    .settings()); // a member of the cluster's CA
    try (JvmProcess standby = JvmLauncher.start(spec)) {
      Http http = new Http(URI.create("http://127.0.0.1:" + httpPort), SharedCluster.TOKEN);
      awaitHealthy(http, standby, log);

      Http.Response created =
          http.post("/map", "{\"task\": \"whoami\", \"inputs\": \"1..6\", \"chunksize\": 1}");
      assertEquals(201, created.status(), created.raw().body());
      JsonNode done = http.awaitEnd(created.json().path("job").asText());
      assertEquals("done", done.path("state").asText(), done.toString());
      for (JsonNode answer : done.path("results"))
        assertEquals(shared.workerPid(), answer.path("pid").asLong());

      JsonNode cluster =
          http.await(
              "/cluster",
              c -> pidOf(c, c.path("self").asText()) == standby.pid(),
              Duration.ofSeconds(20));
      assertEquals(
          seed,
          cluster.path("coordinator").path("node").asText(),
          "the singleton stays on the oldest coordinator");
      assertEquals(ProcessHandle.current().pid(), pidOf(cluster, seed));
      assertTrue(
          standby.stop(Duration.ofSeconds(30)), "SIGTERM: it leaves the cluster and its JVM exits");
    }
  }

  private static void awaitHealthy(Http http, JvmProcess standby, Path log) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!standby.isAlive())
        throw new AssertionError("the standby coordinator exited; see " + log);
      try {
        if (http.get("/health").status() == 200) return;
      } catch (AssertionError notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    throw new AssertionError(
        "the standby coordinator's API did not become healthy within 60 s; see " + log);
  }

  private static long pidOf(JsonNode cluster, String address) {
    for (JsonNode member : cluster.path("members")) {
      if (member.path("address").asText().equals(address)) return member.path("pid").asLong(-1);
    }
    return -1;
  }
}
