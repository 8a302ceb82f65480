package org.clusterpool.node.task;

import java.util.Locale;

/** Whether a task computes on a thread (cpu) or waits without one (async). */
public enum TaskKind {
  CPU,
  ASYNC;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
