package org.clusterpool.node.task;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What a running task may know about where and why it runs. On a node it is also a {@code
 * org.clusterpool.node.worker.NodeTaskContext}, which adds the node's actor system (queues, pipes,
 * actors) for tasks that compile against the whole of clusterpool.
 */
public interface TaskContext {

  /** The worker actor's name, unique on its node: {@code worker-2}. */
  String workerName();

  /** The address of the node (JVM) that runs the task. */
  String nodeAddress();

  /** The process id of the JVM that runs the task. */
  long pid();

  String jobId();

  /** The position of this input in its job, from 0: stable across re-runs, so usable as a seed. */
  long inputIndex();

  /** True once the job was cancelled; long computations should stop early. */
  boolean isCancelled();

  /** True when this JVM also runs the coordinator (the embedded mode). */
  boolean hostsCoordinator();

  /**
   * Completes after the delay without holding a thread, like {@code await asyncio.sleep(delay)}.
   * Cancelling the call cancels the timer.
   */
  CompletableFuture<Void> sleep(Duration delay);

  /**
   * This worker's own variables, like the module-level globals of one process of a {@code Pool}:
   * the worker actor owns the map, no other worker ever sees it (not even one in the same JVM), and
   * it lives as long as the worker. A task may read and change it; a worker that replaces a dead
   * one starts with an empty map.
   */
  Map<String, Long> globals();
}
