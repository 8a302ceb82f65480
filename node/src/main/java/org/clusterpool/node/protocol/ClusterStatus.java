package org.clusterpool.node.protocol;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.wire.CborSerializable;

/**
 * The coordinator's view: its workers, its jobs and what it has seen go wrong. The lists are cut to
 * what one message carries ({@code workersOmitted}, {@code jobsOmitted}, {@code tasksOmitted} count
 * the rest). {@code workerNodes} counts the worker nodes that have workers now, and {@code tasks}
 * the versions of tasks they have; {@code workerNodesNotSaid} those of them that have not said yet
 * what they run (they joined a moment ago).
 */
public record ClusterStatus(
    List<WorkerStatus> workers,
    int workersOmitted,
    List<JobStatus> jobs,
    int jobsOmitted,
    Counters counters,
    int workerNodes,
    List<TaskVersion> tasks,
    int tasksOmitted,
    int workerNodesNotSaid)
    implements CborSerializable {

  /**
   * One version of a task on the worker nodes that have workers now: how many nodes have it, and,
   * when the nodes do not all have one version of that name, which ones ({@code nodes}, empty
   * otherwise). A job runs only on the nodes of its own version; {@code cluster status} shows the
   * names whose versions differ.
   */
  public record TaskVersion(
      String task, TaskKind kind, String fingerprint, int nodeCount, List<String> nodes) {}

  /** The task names that more than one version of holds, among the versions listed. */
  public Set<String> tasksWhoseVersionsDiffer() {
    Map<String, Integer> versions = new HashMap<>();
    for (TaskVersion v : tasks) versions.merge(v.task(), 1, Integer::sum);
    Set<String> out = new TreeSet<>();
    versions.forEach(
        (name, count) -> {
          if (count > 1) out.add(name);
        });
    return out;
  }

  /**
   * One worker: what it did, what it holds, and its credit as the coordinator counts it: {@code
   * cpuCapacity} batches it said it takes, {@code cpuBatchesOut} of them sent and not answered. The
   * second never exceeds the first.
   */
  public record WorkerStatus(
      WorkerInfo info,
      long chunksDone,
      long inputsDone,
      int chunksInFlight,
      int asyncCallsInFlight,
      int cpuCapacity,
      int cpuBatchesOut) {}

  public record JobStatus(
      String jobId,
      String task,
      int chunksQueued,
      int chunksInFlight,
      long inputsDone,
      int retries) {}

  /**
   * What the coordinator has seen since it started ({@code incarnation} names this start): results
   * that came after their unit had been answered (dropped), messages it refused, units whose answer
   * was lost and that ran again, units that went back to the queue, workers it lost, and jobs it
   * ended for want of a worker.
   */
  public record Counters(
      long incarnation,
      long lateResultsDropped,
      long badMessagesDropped,
      long lostAnswersRecovered,
      long unitsRetried,
      long workersLost,
      long jobsFailedForNoWorker) {}

  /** Cpu workers: the parallelism a job can use. */
  public int workerSlots() {
    return workers.size() + workersOmitted;
  }
}
