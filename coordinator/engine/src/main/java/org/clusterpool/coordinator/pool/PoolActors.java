package org.clusterpool.coordinator.pool;

import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.clusterpool.node.protocol.CoordinatorProtocol;

/**
 * The actor system and the coordinator behind a pool of this JVM (the embedded pool, a {@code
 * LocalCluster}'s): what an HTTP API and its dashboard need to serve that pool's run ({@code map
 * --dashboard}). A pool that talks to a cluster through its HTTP API has none here: that cluster
 * serves its own.
 */
public record PoolActors(ActorSystem<?> system, ActorRef<CoordinatorProtocol.Command> coordinator) {
  /**
   * What the coordinator's ids of {@code pool}'s jobs start with ({@code j3f9c1a-}): each pool has
   * its own, so a job of the HTTP API, which runs on a pool of its own, is known at the coordinator
   * by it.
   */
  public static Optional<String> jobIdPrefix(ClusterPool pool) {
    return pool.engine() instanceof ActorPool actors
        ? Optional.of(actors.jobIdPrefix())
        : Optional.empty();
  }

  public static Optional<PoolActors> of(ClusterPool pool) {
    return pool.engine() instanceof ActorPool actors
        ? Optional.of(new PoolActors(actors.system(), actors.coordinator()))
        : Optional.empty();
  }
}
