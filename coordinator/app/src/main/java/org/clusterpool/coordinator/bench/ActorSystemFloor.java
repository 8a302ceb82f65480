package org.clusterpool.coordinator.bench;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.clusterpool.node.config.LayeredConfig;
import org.slf4j.LoggerFactory;

/**
 * The floor of a run's start-up, run by the bench in a JVM of its own: a Pekko actor system of the
 * embedded layer's config started and stopped, and nothing else (no command line, no coordinator,
 * no task). What {@code clusterpool apply} takes beyond this is clusterpool's.
 */
public final class ActorSystemFloor {
  private ActorSystemFloor() {}

  public static void main(String[] args) throws Exception {
    LoggerFactory.getILoggerFactory(); // as a run does: logging starts before the system logs
    ActorSystem<Void> system =
        ActorSystem.create(Behaviors.empty(), "floor", LayeredConfig.load("embedded"));
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
