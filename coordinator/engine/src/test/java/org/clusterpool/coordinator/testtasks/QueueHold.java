package org.clusterpool.coordinator.testtasks;

import java.util.concurrent.CompletionStage;
import org.clusterpool.node.queue.DistributedQueue;
import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.worker.NodeTaskContext;

/**
 * A test task: a consumer that takes one item from the named joinable queue of long items and keeps
 * it, never marking it done, until its JVM dies (or the queue closes). Catalogued only on the test
 * class path.
 */
public final class QueueHold implements AsyncTask<String, Long> {

  @Override
  public String name() {
    return "test-queue-hold";
  }

  @Override
  public String description() {
    return "test only: takes one item from a queue and holds it without marking it done";
  }

  @Override
  public ValueType<String> inputType() {
    return ValueTypes.TEXT;
  }

  @Override
  public ValueType<Long> outputType() {
    return ValueTypes.LONG;
  }

  @Override
  public CompletionStage<Long> apply(String queue, TaskContext context) {
    return DistributedQueue.lookupAsync(NodeTaskContext.systemOf(context), queue, ValueTypes.LONG)
        .thenCompose(
            q ->
                q.getAsync()
                    .thenCompose(
                        item -> q.getAsync())); // the second get waits until the queue closes
  }
}
