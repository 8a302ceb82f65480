package org.clusterpool.coordinator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.clusterpool.coordinator.pool.Call;
import org.clusterpool.coordinator.pool.CallTimeoutException;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Gather;
import org.clusterpool.coordinator.pool.Gathered;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * The course's advice as a measured pair: 10,000 {@code sleep:0.5} gathered on 2 workers finish in
 * about half a second (waits hold no thread), while 10,000 {@code sleep-blocking:0.5} on the same
 * pool would take 2,500 s (each holds one of the two threads). Beside python3's asyncio doing the
 * same sleeps.
 */
final class GatherSleeps implements Scenario {
  static final int CALLS = 10_000;
  static final Duration BLOCKING_BUDGET = Duration.ofSeconds(5);

  @Override
  public String name() {
    return "gather-sleep";
  }

  @Override
  public String description() {
    return "gather 10,000 sleep:0.5 on 2 workers, then 10,000 sleep-blocking:0.5 for 5 s (python3:"
        + " asyncio)";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    int workers = context.workers();
    double async;
    int blockingDone;
    try (ClusterPool pool = ClusterPool.embedded(workers)) {
      ClusterPool.await(pool.gather(calls(BuiltinTasks.SLEEP, 0.01, 1000))); // warm up
      long start = System.nanoTime();
      Gathered done = ClusterPool.await(pool.gather(calls(BuiltinTasks.SLEEP, 0.5, CALLS)));
      async = (System.nanoTime() - start) / 1e9;
      MapThroughput.check(done.size() == CALLS);
      blockingDone = blockingWithinBudget(pool);
    }
    Figure python =
        context.hasPython()
            ? Figure.seconds(
                context
                    .python()
                    .median(
                        "seconds", context.repeats(3), "gather", Integer.toString(CALLS), "0.5"))
            : null;
    double projected = 0.5 * CALLS / workers;
    return List.of(
        new Row(
            "gather 10k sleep:0.5, " + workers + " workers",
            Figure.seconds(async),
            python,
            null,
            "wall time; python3: asyncio.gather"),
        new Row(
            "gather 10k sleep-blocking:0.5, " + workers + " workers",
            null,
            null,
            null,
            String.format(
                Locale.ROOT,
                "did not finish: %d of %d done in %d s (all would take ~%.0f s): threads, not"
                    + " waits",
                blockingDone,
                CALLS,
                BLOCKING_BUDGET.toSeconds(),
                projected)));
  }

  /** Runs the blocking sleeps until the budget is spent, and counts how many finished. */
  private static int blockingWithinBudget(ClusterPool pool) {
    List<Call<?>> calls = calls(BuiltinTasks.SLEEP_BLOCKING, 0.5, CALLS);
    int done = 0;
    try (Gather.AsCompleted completed =
        Gather.on(pool).timeout(BLOCKING_BUDGET).asCompleted(calls)) {
      while (completed.hasNext()) {
        completed.next();
        done++;
      }
    } catch (CallTimeoutException expected) {
      // the point of the row: the budget ran out long before the calls did
    }
    return done;
  }

  static <I> List<Call<?>> calls(Task<I, ?> task, I input, int count) {
    return new ArrayList<>(Collections.nCopies(count, Call.of(task, input)));
  }
}
