package org.clusterpool.node.task;

import java.util.concurrent.CompletionStage;

/**
 * A task that waits: it returns at once with a {@code CompletionStage} that completes later, like
 * an {@code async def} coroutine. A worker holds thousands of these in flight without a thread
 * each. Use {@link TaskContext#sleep} to wait; it is cancelled with the call.
 */
public non-sealed interface AsyncTask<I, O> extends Task<I, O> {
  CompletionStage<O> apply(I input, TaskContext context);
}
