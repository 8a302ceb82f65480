package org.clusterpool.coordinator.demo;

import java.util.Collections;
import java.util.List;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * The same waits done five ways: one thread after the other; K threads that release the {@link
 * SimulatedGil} while they wait (as CPython does around a blocking call); K free threads; K worker
 * JVMs with blocking sleeps; and async sleeps, all waiting at once on the workers' event loops, as
 * with {@code asyncio.gather}.
 */
final class IoComparison {
  private IoComparison() {}

  record Result(
      int waits,
      long millis,
      Timing oneThread,
      Timing gilThreads,
      Timing freeThreads,
      Timing workerJvms,
      Timing async) {}

  static String workload(int waits, long millis) {
    return waits + " waits of " + millis + " ms";
  }

  /**
   * Each way {@code rounds} times, the best round kept: a sleep is never shorter than asked, only
   * woken late.
   */
  static Result measure(
      int waits, long millis, int threads, int jvms, ClusterPool pool, boolean everyWay, int rounds)
      throws Exception {
    Result best = null;
    for (int round = 0; round < rounds; round++) {
      Result r = measure(waits, millis, threads, jvms, pool, everyWay);
      best =
          best == null
              ? r
              : new Result(
                  waits,
                  millis,
                  faster(best.oneThread(), r.oneThread()),
                  faster(best.gilThreads(), r.gilThreads()),
                  faster(best.freeThreads(), r.freeThreads()),
                  faster(best.workerJvms(), r.workerJvms()),
                  faster(best.async(), r.async()));
    }
    return best;
  }

  private static Timing faster(Timing a, Timing b) {
    if (a == null) return b;
    return b == null || a.seconds() <= b.seconds() ? a : b;
  }

  static Result measure(
      int waits, long millis, int threads, int jvms, ClusterPool pool, boolean everyWay)
      throws Exception {
    List<Long> each = Collections.nCopies(waits, millis);
    double seconds = millis / 1000.0;
    pool.map(
        BuiltinTasks.SLEEP,
        Collections.nCopies(jvms, 0.001),
        1); // the async path is warm before the clock starts
    Timing one =
        Timing.of(
            "1 thread, blocking sleeps",
            () -> {
              for (int i = 0; i < waits; i++) Thread.sleep(millis);
            });
    SimulatedGil gil = new SimulatedGil();
    Timing locked =
        Timing.of(
            threads + " threads, the global lock released while waiting",
            () ->
                CpuComparison.onThreads(
                    threads,
                    each,
                    ms -> {
                      try {
                        gil.blockingWait(ms);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return 0;
                    }));
    Timing free = null;
    Timing processes = null;
    if (everyWay) {
      free =
          Timing.of(
              threads + " free threads, blocking sleeps",
              () ->
                  CpuComparison.onThreads(
                      threads,
                      each,
                      ms -> {
                        try {
                          Thread.sleep(ms);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        return 0;
                      }));
      processes =
          Timing.of(
              jvms + " worker JVMs, blocking sleeps (sleep-blocking)",
              () -> pool.map(BuiltinTasks.SLEEP_BLOCKING, Collections.nCopies(waits, seconds)));
    }
    Timing async =
        Timing.of(
            waits + " async sleeps at once (asyncio.gather: sleep)",
            () -> pool.map(BuiltinTasks.SLEEP, Collections.nCopies(waits, seconds)));
    return new Result(waits, millis, one, locked, free, processes, async);
  }
}
