package org.clusterpool.node.task.builtin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.clusterpool.node.queue.DistributedQueue;
import org.clusterpool.node.queue.QueueClosedException;
import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.worker.NodeTaskContext;

/**
 * A consumer: {@code while True: x = q.get(); ...; q.task_done()} on a named queue of the cluster,
 * until the queue is closed (or {@code count} items were taken), pausing between items like a
 * consumer with work to do. On a joinable queue each item is marked done after the pause. Async:
 * while it waits it holds no thread.
 */
public final class QueueTake implements AsyncTask<QueueTake.Args, QueueTake.Report> {
  static final double MAX_PAUSE = 10;

  /** {@code count} 0: until the queue is closed. {@code pause}: seconds between two items. */
  public record Args(String queue, long count, double pause) {
    public Args {
      if (count < 0)
        throw new IllegalArgumentException(
            "queue-take: count " + count + " is out of range: accepted 0 (until closed) or more");
      if (!(pause >= 0 && pause <= MAX_PAUSE)) { // NaN too
        throw new IllegalArgumentException(
            "queue-take: pause "
                + pause
                + " s is out of range: accepted 0.."
                + (long) MAX_PAUSE
                + " seconds");
      }
    }
  }

  /**
   * The items taken, in the order taken; {@code redelivered}: how many had gone to a consumer that
   * died first.
   */
  public record Report(
      String queue, long taken, long redelivered, List<Long> items, String worker, long pid) {
    @Override
    public String toString() {
      return worker
          + " (pid "
          + pid
          + ") took "
          + taken
          + " items from "
          + queue
          + (redelivered > 0 ? ", " + redelivered + " of them delivered again" : "");
    }
  }

  private static final ValueType<Args> ARGS = ValueTypes.record(Args.class);
  private static final ValueType<Report> REPORT = ValueTypes.record(Report.class);

  @Override
  public String name() {
    return "queue-take";
  }

  @Override
  public String description() {
    return "takes items from the named queue of long items until it is closed (count 0) or count"
        + " were taken, pausing between items; returns them";
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
    Duration pause = Duration.ofNanos((long) (args.pause() * 1e9));
    return DistributedQueue.lookupAsync(
            NodeTaskContext.systemOf(context), args.queue(), ValueTypes.LONG)
        .thenCompose(
            queue -> {
              List<Long> items = new ArrayList<>();
              return AsyncLoop.run(
                      context,
                      () -> {
                        if (args.count() > 0 && items.size() >= args.count())
                          return CompletableFuture.completedFuture(false);
                        return queue
                            .getAsync()
                            .thenCompose(
                                item -> {
                                  items.add(item);
                                  CompletionStage<Void> work =
                                      pause.isZero()
                                          ? CompletableFuture.completedFuture(null)
                                          : context.sleep(pause);
                                  return work.thenApply(
                                      slept -> {
                                        if (queue.joinable()) queue.taskDone();
                                        return true;
                                      });
                                })
                            .exceptionally(
                                AsyncLoop.endsAt(
                                    QueueClosedException.class, () -> {})); // the end of the stream
                      })
                  .whenComplete((done, error) -> queue.detach())
                  .thenApply(
                      done ->
                          new Report(
                              args.queue(),
                              items.size(),
                              queue.redeliveredGets(),
                              List.copyOf(items),
                              context.workerName(),
                              context.pid()));
            });
  }
}
