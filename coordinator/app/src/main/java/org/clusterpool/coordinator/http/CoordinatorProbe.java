package org.clusterpool.coordinator.http;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;
import org.clusterpool.node.NodeOptions;
import org.clusterpool.node.protocol.CoordinatorProtocol;

/**
 * Whether the coordinator answers, for the Kubernetes health checks ({@link CoordinatorReadiness},
 * {@link CoordinatorLiveness}): the coordinators the receptionist lists (one, but two while the
 * singleton moves), each asked for its status. Cheap and bounded: a local lookup and one small
 * question to each, every wait with a timeout.
 */
final class CoordinatorProbe {
  private final ActorSystem<Void> system;
  private final Duration timeout;
  private final Duration silence;

  CoordinatorProbe(org.apache.pekko.actor.ActorSystem classic) {
    this.system = Adapter.toTyped(classic);
    Config config = classic.settings().config();
    this.timeout = duration(config, "clusterpool.http.health-timeout", Duration.ofSeconds(2));
    this.silence = duration(config, "clusterpool.http.coordinator-silence", Duration.ofSeconds(60));
  }

  private static Duration duration(Config config, String path, Duration absent) {
    return config.hasPath(path) ? config.getDuration(path) : absent;
  }

  /**
   * How long a coordinator may stay silent before its member is not alive ({@code
   * clusterpool.http.coordinator-silence}).
   */
  Duration silence() {
    return silence;
  }

  /** Whether this member has the coordinator role (it may host the singleton). */
  boolean coordinatorRole() {
    return Cluster.get(system).selfMember().hasRole(NodeOptions.COORDINATOR);
  }

  /** The coordinators listed, empty when the receptionist does not answer within the timeout. */
  CompletionStage<Set<ActorRef<CoordinatorProtocol.Command>>> listed() {
    CompletionStage<Receptionist.Listing> listing =
        AskPattern.ask(
            system.receptionist(),
            (ActorRef<Receptionist.Listing> replyTo) ->
                Receptionist.find(CoordinatorProtocol.SERVICE_KEY, replyTo),
            timeout,
            system.scheduler());
    return listing.handle(
        (found, error) ->
            found == null ? Set.of() : found.getServiceInstances(CoordinatorProtocol.SERVICE_KEY));
  }

  /**
   * Whether any of the coordinators listed answers within the timeout; never completes
   * exceptionally.
   */
  CompletionStage<Boolean> anyAnswers() {
    long deadline = System.nanoTime() + timeout.toNanos();
    return listed()
        .thenCompose(
            coordinators -> {
              Duration left =
                  Duration.ofNanos(
                      Math.max(Duration.ofMillis(100).toNanos(), deadline - System.nanoTime()));
              List<CompletableFuture<Boolean>> answers = new ArrayList<>();
              for (ActorRef<CoordinatorProtocol.Command> coordinator : coordinators)
                answers.add(answers(coordinator, left).toCompletableFuture());
              return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                  .thenApply(all -> answers.stream().anyMatch(CompletableFuture::join));
            });
  }

  /**
   * Whether this coordinator answers its status within {@code within}; never completes
   * exceptionally.
   */
  CompletionStage<Boolean> answers(
      ActorRef<CoordinatorProtocol.Command> coordinator, Duration within) {
    return AskPattern.ask(
            coordinator, CoordinatorProtocol.GetStatus::new, within, system.scheduler())
        .handle((status, error) -> status != null);
  }
}
