package org.clusterpool.coordinator.soak;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The faults a soak injects, one every few seconds, chosen at random: worker JVMs killed, frozen
 * for a while, stopped gracefully, added; the coordinator's JVM killed and replaced. The cluster
 * keeps at least one worker, and gets back to its size: a dead worker is replaced a little later,
 * as a supervisor would.
 */
final class Faults {
  enum Kind {
    KILL("kill -9 of a worker"),
    FREEZE("worker frozen 1-5 s"),
    STOP("worker stopped gracefully"),
    ADD("worker added"),
    COORDINATOR("coordinator killed, replaced");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  private final SoakCluster cluster;
  private final int nodes;
  private final Random random;
  private final ScheduledExecutorService later;
  private final Map<Kind, Integer> injected = new EnumMap<>(Kind.class);

  Faults(SoakCluster cluster, int nodes, Random random, ScheduledExecutorService later) {
    this.cluster = cluster;
    this.nodes = nodes;
    this.random = random;
    this.later = later;
  }

  /** Injects one fault; returns what it was, or null when none could be injected now. */
  synchronized Kind injectOne() {
    int live = cluster.liveWorkers().size();
    Kind kind = pick(live);
    SoakCluster.Member worker = cluster.anyWorker(random);
    switch (kind) {
      case KILL -> {
        if (worker == null) return null;
        cluster.kill(worker);
        replaceLater();
      }
      case FREEZE -> {
        if (worker == null) return null;
        worker.process().freeze();
        later.schedule(
            () -> worker.process().resume(), 1000 + random.nextInt(4000), TimeUnit.MILLISECONDS);
      }
      case STOP -> {
        if (worker == null) return null;
        later.execute(() -> worker.process().stop(Duration.ofSeconds(20)));
        replaceLater();
      }
      case ADD -> cluster.addWorker();
      case COORDINATOR -> {
        if (!cluster.restartCoordinator())
          return null; // no standby yet: a new coordinator JVM started instead
      }
    }
    injected.merge(kind, 1, Integer::sum);
    return kind;
  }

  private Kind pick(int live) {
    int roll = random.nextInt(100);
    if (live <= 1) return roll < 80 ? Kind.ADD : Kind.COORDINATOR; // never the last worker
    if (roll < 30) return Kind.KILL;
    if (roll < 55) return Kind.FREEZE;
    if (roll < 67) return Kind.STOP;
    if (roll < 87) return live < nodes + 2 ? Kind.ADD : Kind.KILL;
    return Kind.COORDINATOR;
  }

  /** The cluster gets back to its size a little later, as a supervisor restarts what died. */
  private void replaceLater() {
    later.schedule(
        () -> {
          if (cluster.liveWorkers().size() < nodes) cluster.addWorker();
        },
        1000 + random.nextInt(3000),
        TimeUnit.MILLISECONDS);
  }

  synchronized Map<Kind, Integer> injected() {
    return new EnumMap<>(injected);
  }
}
