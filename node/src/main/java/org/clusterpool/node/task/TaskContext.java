package org.clusterpool.node.task;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** What a running task may know about where and why it runs. */
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
}
