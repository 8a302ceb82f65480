package org.clusterpool.coordinator.scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last workers the coordinator lost, and what each held: what a job that fails for want of a
 * worker gives as its cause ("every worker node died running task 'halt' on input 0"), rather than
 * a bare timeout.
 */
final class WorkerLosses {
  private static final int KEPT = 8;

  private record Loss(String worker, String reason, String held) {}

  private final ArrayDeque<Loss> losses = new ArrayDeque<>(KEPT);
  private long count;

  void lost(WorkerState worker, String reason, List<UnitState> held) {
    String what =
        held.isEmpty()
            ? "holding no work"
            : "while it ran task '"
                + held.get(0).job.task()
                + "' on "
                + held.get(0).describe()
                + " of job "
                + held.get(0).job.jobId()
                + (held.size() > 1 ? " and " + (held.size() - 1) + " more units" : "");
    if (losses.size() == KEPT) losses.removeFirst();
    losses.addLast(new Loss(worker.info.label(), reason, what));
    count++;
  }

  long count() {
    return count;
  }

  /** One line: the last losses, newest first, or that the cluster never had a worker. */
  String describe() {
    if (losses.isEmpty()) return "no worker has joined this coordinator";
    List<String> parts = new ArrayList<>();
    var it = losses.descendingIterator();
    for (int i = 0; i < 3 && it.hasNext(); i++) {
      Loss loss = it.next();
      parts.add(loss.worker() + " " + loss.reason() + " " + loss.held());
    }
    String more = losses.size() > 3 ? "; " + (count - 3) + " workers lost before" : "";
    return (count == 1 ? "the only worker was lost: " : "the last workers lost: ")
        + String.join("; ", parts)
        + more;
  }
}
