package org.clusterpool.coordinator.bench;

import java.util.Collections;
import java.util.List;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * Cpu-bound speedup: the same fib inputs on one thread, then on a pool of 1 and of 2 workers;
 * python3 does the same with Pool and with threads, where the GIL shows.
 */
final class CpuSpeedup implements Scenario {
  @Override
  public String name() {
    return "cpu-speedup";
  }

  @Override
  public String description() {
    return "fib 32 x 24 on 1 thread, then on 1 and 2 workers (python3: fib 24, Pool and threads)";
  }

  @Override
  public List<Row> run(BenchContext context) throws Exception {
    List<Long> inputs = Collections.nCopies(24, 32L);
    int repeats = context.repeats(5);
    double serial = CpuWork.serial(BuiltinTasks.FIB, inputs, repeats);
    double one = CpuWork.pool(BuiltinTasks.FIB, inputs, 1, 1, repeats);
    double two = CpuWork.pool(BuiltinTasks.FIB, inputs, 2, 1, repeats);
    double threads = CpuWork.threads(BuiltinTasks.FIB, inputs, 2, repeats);
    Figure pyPool = null;
    Figure pyThreads = null;
    if (context.hasPython()) {
      double pySerial =
          context
              .python()
              .median("seconds", context.repeats(3), "cpu", "fib", "24", "24", "serial", "1", "24");
      double pyTwo =
          context
              .python()
              .median("seconds", context.repeats(3), "cpu", "fib", "24", "24", "pool", "2", "24");
      double pyThreadsTwo =
          context
              .python()
              .median(
                  "seconds", context.repeats(3), "cpu", "fib", "24", "24", "threads", "2", "24");
      pyPool = Figure.times(pySerial / pyTwo);
      pyThreads = Figure.times(pySerial / pyThreadsTwo);
    }
    return List.of(
        new Row(
            "cpu speedup, 2 workers over 1 thread",
            Figure.times(serial / two),
            pyPool,
            Figure.times(serial / threads),
            "python: Pool(2) over serial; java: 2 threads"),
        new Row("cpu speedup, 2 workers over 1 worker", Figure.times(one / two), null, null, ""),
        new Row(
            "cpu speedup, 2 threads over 1 (the GIL)",
            null,
            pyThreads,
            Figure.times(serial / threads),
            "python threads share one interpreter lock"));
  }
}
