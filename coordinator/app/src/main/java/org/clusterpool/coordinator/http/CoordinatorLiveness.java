package org.clusterpool.coordinator.http;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.protocol.CoordinatorProtocol;

/**
 * A Pekko Management liveness check ({@code /alive}, registered in {@code config/kubernetes.conf}):
 * the member that hosts the coordinator is alive only while its coordinator has answered within the
 * last {@code clusterpool.http.coordinator-silence}. A coordinator that stays silent that long
 * (stuck, not merely busy: a slow answer still counts, whenever it comes) gets its pod restarted by
 * Kubernetes, and the singleton moves to another coordinator-role member, where the jobs' clients
 * send their unfinished work again. Every other member is alive as far as this check goes:
 * restarting a standby or a worker would not bring a silent coordinator back.
 *
 * <p>Each check asks the local coordinator (one question at a time, waiting up to the silence for
 * its answer) and answers at once from when it last heard from it.
 */
public final class CoordinatorLiveness implements Supplier<CompletionStage<Boolean>> {
  private final CoordinatorProbe probe;
  private final AtomicBoolean asking = new AtomicBoolean();

  /** When the local coordinator last answered, or was first seen; 0 while none runs here. */
  private volatile long heardNanos;

  /** Pekko Management makes it, with the member's actor system. */
  public CoordinatorLiveness(ActorSystem system) {
    this.probe = new CoordinatorProbe(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    return probe
        .listed()
        .thenApply(
            coordinators -> {
              List<ActorRef<CoordinatorProtocol.Command>> local =
                  coordinators.stream().filter(c -> c.path().address().hasLocalScope()).toList();
              long now = System.nanoTime();
              if (local.isEmpty()) {
                heardNanos = 0;
                return true;
              }
              if (heardNanos == 0)
                heardNanos = now; // it just came here: it gets the whole silence to answer
              if (asking.compareAndSet(false, true)) {
                probe
                    .answers(local.get(0), probe.silence())
                    .whenComplete(
                        (answered, error) -> {
                          if (Boolean.TRUE.equals(answered)) heardNanos = System.nanoTime();
                          asking.set(false);
                        });
              }
              return now - heardNanos < probe.silence().toNanos();
            });
  }
}
