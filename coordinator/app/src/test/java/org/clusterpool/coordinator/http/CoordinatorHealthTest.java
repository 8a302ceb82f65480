package org.clusterpool.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Health that tells the truth: the Kubernetes checks ({@code /ready}, {@code /alive} through Pekko
 * Management) and {@code GET /health} say whether the coordinator answers, within a short bound; an
 * HTTP API job whose coordinator is gone ends, with an error that says so.
 */
@ExtendWith(SharedCluster.Extension.class)
@ExtendWith(LogCapturingExtension.class)
@Timeout(120)
class CoordinatorHealthTest {

  private static boolean check(Supplier<CompletionStage<Boolean>> check) {
    try {
      return check.get().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the check did not answer within 10 s: " + e, e);
    }
  }

  private static void await(String what, BooleanSupplier done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline)
        throw new AssertionError(what + " within " + timeout.toSeconds() + " s");
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  @Test
  void theChecksAreRegisteredForKubernetesAndMadeAsPekkoManagementMakesThem() throws Exception {
    Config kubernetes = LayeredConfig.load("kubernetes");
    assertEquals(
        CoordinatorReadiness.class.getName(),
        kubernetes.getString(
            "pekko.management.health-checks.readiness-checks.clusterpool-coordinator"));
    assertEquals(
        CoordinatorLiveness.class.getName(),
        kubernetes.getString(
            "pekko.management.health-checks.liveness-checks.clusterpool-coordinator"));
    assertTrue(
        kubernetes
                .getDuration("pekko.management.health-checks.check-timeout")
                .compareTo(kubernetes.getDuration("clusterpool.http.health-timeout"))
            > 0,
        "a check answers within its timeout");
    for (Class<?> check : List.of(CoordinatorReadiness.class, CoordinatorLiveness.class)) {
      assertTrue(Supplier.class.isAssignableFrom(check));
      check.getConstructor(org.apache.pekko.actor.ActorSystem.class); // what Pekko Management calls
    }
  }

  @Test
  void aMemberWhoseCoordinatorAnswersIsReadyAndAlive(SharedCluster shared) {
    org.apache.pekko.actor.ActorSystem system =
        Adapter.toClassic(shared.cluster().coordinator().system());
    assertTrue(check(new CoordinatorReadiness(system)), "ready: the coordinator answers");
    assertTrue(
        check(new CoordinatorLiveness(system)), "alive: it hosts the coordinator, which answers");
  }

  /**
   * A coordinator-role member of its own, with no coordinator: not ready, though alive (restarting
   * it would not help); its API's job ends with the coordinator's loss, and {@code /health} answers
   * 503 at once. Then a coordinator that is listed but never answers: still not ready, and once
   * silent past {@code coordinator-silence}, its member is not alive.
   */
  @Test
  void aMemberWhoseCoordinatorDoesNotAnswerIsNotReadyAndItsJobsEnd() {
    Config config =
        ConfigFactory.parseString(
                """
                pekko.cluster.roles = [coordinator]
                pekko.remote.artery.canonical.port = 0
                clusterpool.job.coordinator-timeout = 2 s
                clusterpool.http.health-timeout = 1 s
                clusterpool.http.coordinator-silence = 1 s
                """)
            .withFallback(LayeredConfig.load("local-cluster"));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "clusterpool", config);
    try {
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
      await(
          "the lone member is up",
          () -> cluster.selfMember().status() == MemberStatus.up(),
          Duration.ofSeconds(30));
      org.apache.pekko.actor.ActorSystem classic = Adapter.toClassic(system);
      CoordinatorReadiness readiness = new CoordinatorReadiness(classic);
      CoordinatorLiveness liveness = new CoordinatorLiveness(classic);
      assertFalse(check(readiness), "not ready: no coordinator at all");
      assertTrue(check(liveness), "alive: no coordinator runs here");

      ActorRef<CoordinatorProtocol.Command> silent =
          system.systemActorOf(Behaviors.ignore(), "silent-coordinator", Props.empty());
      HttpSettings settings =
          HttpSettings.fromConfig(config)
              .withAddress("127.0.0.1", 0)
              .withHeartbeat(SharedCluster.HEARTBEAT);
      settings = settings.withAccess(settings.access().withToken(SharedCluster.TOKEN));
      try (HttpApi api = HttpApi.start(system, silent, settings)) {
        Http http = Http.of(api);
        Http.Response health = http.get("/health");
        assertEquals(503, health.status(), health.raw().body());
        assertFalse(health.json().path("coordinator_answers").asBoolean());

        Http.Response created = http.post("/map", "{\"task\": \"square\", \"inputs\": \"1..10\"}");
        assertEquals(201, created.status(), created.raw().body());
        String job = created.json().path("job").asText();
        List<JsonNode> lines = http.streamLines("/jobs/" + job + "/stream"); // ends: the job does
        JsonNode last = lines.get(lines.size() - 1);
        assertEquals("failed", last.path("state").asText(), last.toString());
        String summary = last.path("error").path("summary").asText();
        assertTrue(summary.contains("coordinator"), summary);
        assertFalse(summary.contains("\n"), summary);
      }

      system.receptionist().tell(Receptionist.register(CoordinatorProtocol.SERVICE_KEY, silent));
      await(
          "a silent coordinator listed here makes its member not alive once silent past"
              + " coordinator-silence",
          () -> !check(liveness),
          Duration.ofSeconds(20));
      assertFalse(check(readiness), "not ready: the coordinator listed does not answer");
    } finally {
      system.terminate();
      system
          .getWhenTerminated()
          .toCompletableFuture()
          .orTimeout(30, TimeUnit.SECONDS)
          .exceptionally(e -> null)
          .join();
    }
  }
}
