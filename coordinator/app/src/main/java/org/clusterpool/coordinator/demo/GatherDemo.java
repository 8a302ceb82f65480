package org.clusterpool.coordinator.demo;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.clusterpool.coordinator.members.PoolSession;
import org.clusterpool.coordinator.pool.Call;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Completed;
import org.clusterpool.coordinator.pool.Gather;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * The course's {@code main()}: {@code gather(task(1, 2), task(2, 3), task(3, 1))}, about 3 s, not 6
 * s.
 */
final class GatherDemo implements Demo {
  @Override
  public String name() {
    return "gather";
  }

  @Override
  public String summary() {
    return "asyncio.gather(task(1, 2), task(2, 3), task(3, 1)): three waits overlap, ~3 s not 6 s";
  }

  @Override
  public void run(DemoContext context) {
    PrintWriter out = context.out();
    out.println("The course (Python):");
    out.println("    async def task(id, seconds):");
    out.println("        print(f\"Tâche {id} démarrée\")");
    out.println("        await asyncio.sleep(seconds)");
    out.println("        print(f\"Tâche {id} terminée après {seconds} secondes\")");
    out.println("    async def main():");
    out.println("        await asyncio.gather(task(1, 2), task(2, 3), task(3, 1))");
    out.println();
    out.println("clusterpool (Java):");
    out.println(
        "    List<Call<Double>> tasks = List.of(Call.of(SLEEP, 2.0), Call.of(SLEEP, 3.0),"
            + " Call.of(SLEEP, 1.0));");
    out.println(
        "    pool.gather(tasks...)   // here with as_completed, to print each end as it comes");
    out.println();
    List<Call<?>> calls =
        List.of(
            Call.of(BuiltinTasks.SLEEP, 2.0),
            Call.of(BuiltinTasks.SLEEP, 3.0),
            Call.of(BuiltinTasks.SLEEP, 1.0));
    try (PoolSession session = context.openPool(context.workersOr(2), "gather");
        PoolDashboard.Served served = context.serve(session.pool())) {
      ClusterPool pool = session.pool();
      pool.apply(BuiltinTasks.SQUARE, 1L); // the pool is up before the clock starts
      long start = System.nanoTime();
      for (int i = 0; i < calls.size(); i++) out.println("task " + (i + 1) + " started");
      out.flush();
      double sum = 0;
      int first = -1;
      try (Gather.AsCompleted completed = Gather.on(pool).asCompleted(calls)) {
        for (Completed<?> done : completed) {
          double seconds = (Double) done.get();
          sum += seconds;
          if (first < 0) first = done.position() + 1;
          out.printf(
              Locale.ROOT,
              "task %d finished after %.0f seconds, at %.2f s, on %s%n",
              done.position() + 1,
              seconds,
              (System.nanoTime() - start) / 1e9,
              done.worker());
          out.flush();
        }
      }
      double total = (System.nanoTime() - start) / 1e9;
      out.println();
      out.println(conclusion(total, sum, first));
    }
    out.flush();
  }

  /**
   * From the numbers: whether the waits overlapped (the whole took well under their sum), and which
   * ended first.
   */
  static String conclusion(double total, double sum, int first) {
    String overlapped =
        total < OVERLAP * sum
            ? String.format(
                Locale.ROOT, "All three in %.2f s, not %.0f s: the waits overlapped", total, sum)
            : String.format(
                Locale.ROOT,
                "All three in %.2f s, close to their sum of %.0f s: the waits did not overlap",
                total,
                sum);
    return overlapped
        + ", and task "
        + first
        + " ended first"
        + (first == 3 ? ", the shortest wait." : ".");
  }

  /**
   * Overlapping waits take the longest one, here half their sum; one after the other, all of it.
   */
  static final double OVERLAP = 0.75;
}
