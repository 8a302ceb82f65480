package org.clusterpool.coordinator.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * A Pekko Management readiness check ({@code /ready}, registered in {@code
 * config/kubernetes.conf}): a coordinator-role member is ready only when a coordinator answers
 * within {@code clusterpool.http.health-timeout}, since its HTTP API runs no job without one; the
 * Service then sends no request to it. Other members are ready as far as this check goes (their
 * work comes to them from the coordinator, wherever it is).
 */
public final class CoordinatorReadiness implements Supplier<CompletionStage<Boolean>> {
  private final CoordinatorProbe probe;

  /** Pekko Management makes it, with the member's actor system. */
  public CoordinatorReadiness(ActorSystem system) {
    this.probe = new CoordinatorProbe(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    if (!probe.coordinatorRole()) return CompletableFuture.completedFuture(true);
    return probe.anyAnswers();
  }
}
