package org.clusterpool.coordinator.testcluster;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded waits for tests across JVMs: a condition polled until it holds, or an error naming what
 * did not come.
 */
public final class Await {
  private Await() {}

  /** Waits up to 90 s: long enough for JVMs to start and a cluster to decide on a busy machine. */
  public static void until(String what, BooleanSupplier condition) {
    until(what, Duration.ofSeconds(90), condition);
  }

  public static void until(String what, Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline)
        throw new AssertionError("waited " + limit.toSeconds() + " s for " + what);
      pause(50);
    }
  }

  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
