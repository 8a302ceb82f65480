package org.clusterpool.node.launcher;

import java.time.Duration;

/**
 * The delay before a dead node starts again: {@code backoff-min} after a node that ran a while,
 * doubled at each exit that follows a short run, never more than {@code backoff-max}. A node that
 * cannot start is tried less and less often, so it never spins a CPU, and one that ran {@code
 * stable-after} is back at the shortest delay, as a Kubernetes pod's crash-loop backoff resets once
 * it has run long enough.
 */
final class Backoff {
  private final SupervisionSettings settings;

  /** Exits in a row, each after a run shorter than {@code stable-after}. */
  private int quickExits;

  Backoff(SupervisionSettings settings) {
    this.settings = settings;
  }

  /**
   * The delay before the next start of a node that has just exited after running {@code uptime}.
   */
  Duration next(Duration uptime) {
    if (uptime.compareTo(settings.stableAfter()) >= 0) quickExits = 0;
    Duration delay = settings.backoffMin();
    for (int i = 0; i < quickExits && delay.compareTo(settings.backoffMax()) < 0; i++)
      delay = delay.multipliedBy(2);
    quickExits++;
    return delay.compareTo(settings.backoffMax()) > 0 ? settings.backoffMax() : delay;
  }
}
