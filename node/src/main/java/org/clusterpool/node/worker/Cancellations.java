package org.clusterpool.node.worker;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs and units the coordinator stopped, as the workers of one node read them. Written by the
 * node's actor, read by workers between two inputs: a worker busy with a cpu unit reads no
 * messages, so a stop must reach it through memory it shares with the node. Both sets are
 * concurrent for that reason.
 */
final class Cancellations {
  private final Set<String> jobs = ConcurrentHashMap.newKeySet();
  private final Set<Long> units = ConcurrentHashMap.newKeySet();

  /**
   * Units stopped on one worker only ({@code worker-2/17}): they passed their deadline there and
   * run again, perhaps on another worker of this node, whose attempt must not stop.
   */
  private final Set<String> attempts = ConcurrentHashMap.newKeySet();

  boolean jobStopped(String jobId) {
    return jobs.contains(jobId);
  }

  boolean unitStopped(long unitId) {
    return units.contains(unitId);
  }

  /** Whether the worker of this name stops the unit. */
  boolean stopped(String jobId, long unitId, String worker) {
    return jobs.contains(jobId)
        || units.contains(unitId)
        || !attempts.isEmpty() && attempts.contains(attempt(unitId, worker));
  }

  private static String attempt(long unitId, String worker) {
    return worker + "/" + unitId;
  }

  /** True the first time. */
  boolean stopJob(String jobId) {
    return jobs.add(jobId);
  }

  /** {@code worker} empty: on every worker of the node. */
  boolean stopUnit(long unitId, String worker) {
    return worker.isEmpty() ? units.add(unitId) : attempts.add(attempt(unitId, worker));
  }

  void forgetJob(String jobId) {
    jobs.remove(jobId);
  }

  void forgetUnit(long unitId, String worker) {
    if (worker.isEmpty()) units.remove(unitId);
    else attempts.remove(attempt(unitId, worker));
  }
}
