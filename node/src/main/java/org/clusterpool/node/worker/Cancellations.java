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

  boolean jobStopped(String jobId) {
    return jobs.contains(jobId);
  }

  boolean unitStopped(long unitId) {
    return units.contains(unitId);
  }

  boolean stopped(String jobId, long unitId) {
    return jobs.contains(jobId) || units.contains(unitId);
  }

  /** True the first time. */
  boolean stopJob(String jobId) {
    return jobs.add(jobId);
  }

  boolean stopUnit(long unitId) {
    return units.add(unitId);
  }

  void forgetJob(String jobId) {
    jobs.remove(jobId);
  }

  void forgetUnit(long unitId) {
    units.remove(unitId);
  }
}
