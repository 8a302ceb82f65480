package org.clusterpool.node.task.builtin;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.clusterpool.node.queue.DistributedQueue;
import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.worker.NodeTaskContext;

/**
 * A producer: {@code for x in range(first, first + count): q.put(x)} into a named queue of the
 * cluster, one put after the other, each waiting while the queue is full. Async: while it waits it
 * holds no thread.
 */
public final class QueuePut implements AsyncTask<QueuePut.Args, QueuePut.Report> {
  static final long MAX_COUNT = 10_000_000;

  public record Args(String queue, long first, long count) {
    public Args {
      if (count < 0 || count > MAX_COUNT)
        throw new IllegalArgumentException(
            "queue-put: count " + count + " is out of range: accepted 0.." + MAX_COUNT);
    }
  }

  /** How many items it put, and how many of its puts found the queue full and waited. */
  public record Report(String queue, long put, long waited, String worker, long pid) {
    @Override
    public String toString() {
      return worker
          + " (pid "
          + pid
          + ") put "
          + put
          + " items into "
          + queue
          + ", waiting "
          + waited
          + " times for room";
    }
  }

  private static final ValueType<Args> ARGS = ValueTypes.record(Args.class);
  private static final ValueType<Report> REPORT = ValueTypes.record(Report.class);

  @Override
  public String name() {
    return "queue-put";
  }

  @Override
  public String description() {
    return "puts first..first+count-1 into the named queue of long items, waiting while it is full;"
        + " returns how often it waited";
  }

  @Override
  public ValueType<Args> inputType() {
    return ARGS;
  }

  @Override
  public ValueType<Report> outputType() {
    return REPORT;
  }

  @Override
  public CompletionStage<Report> apply(Args args, TaskContext context) {
    return DistributedQueue.lookupAsync(
            NodeTaskContext.systemOf(context), args.queue(), ValueTypes.LONG)
        .thenCompose(
            queue -> {
              long[] next = {args.first()};
              long end = args.first() + args.count();
              return AsyncLoop.run(
                      context,
                      () ->
                          next[0] >= end
                              ? CompletableFuture.completedFuture(false)
                              : queue.putAsync(next[0]++).thenApply(put -> true))
                  .whenComplete((done, error) -> queue.detach())
                  .thenApply(
                      done ->
                          new Report(
                              args.queue(),
                              queue.puts(),
                              queue.waitedPuts(),
                              context.workerName(),
                              context.pid()));
            });
  }
}
