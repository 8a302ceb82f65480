package org.clusterpool.node.task;

/**
 * A task that computes: it runs on a worker's own thread, one input at a time, like a function
 * given to {@code multiprocessing.Pool}. It may block; long loops should return early when {@link
 * TaskContext#isCancelled()} turns true.
 */
public non-sealed interface CpuTask<I, O> extends Task<I, O> {
  O apply(I input, TaskContext context) throws Exception;
}
