package org.clusterpool.coordinator.demo;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.clusterpool.coordinator.members.PoolSession;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * The course's {@code hello()}: Hello, a one-second wait that blocks nothing, World. To show that
 * the wait holds no thread, the only worker computes other things while it waits.
 */
final class HelloDemo implements Demo {
  @Override
  public String name() {
    return "hello";
  }

  @Override
  public String summary() {
    return "async def hello(): print Hello, await asyncio.sleep(1), print World";
  }

  @Override
  public void run(DemoContext context) {
    PrintWriter out = context.out();
    out.println("The course (Python):");
    out.println("    async def hello():");
    out.println("        print(\"Hello\")");
    out.println("        await asyncio.sleep(1)");
    out.println("        print(\"World\")");
    out.println("    asyncio.run(hello())");
    out.println();
    int workers = context.workersOr(1);
    boolean alone = workers == 1 && context.nodes() <= 1;
    out.println(
        "clusterpool (Java), on a pool of "
            + (context.nodes() > 0
                ? context.nodes()
                    + " worker JVM"
                    + (context.nodes() == 1 ? "" : "s")
                    + " of "
                    + workersText(workers)
                    + " each"
                : workersText(workers))
            + ":");
    out.println("    System.out.println(\"Hello\");");
    out.println(
        "    pool.apply(BuiltinTasks.SLEEP, 1.0);   // an async task: the worker holds no thread"
            + " while it waits");
    out.println("    System.out.println(\"World\");");
    out.println();
    try (PoolSession session = context.openPool(workers, "hello");
        PoolDashboard.Served served = context.serve(session.pool())) {
      ClusterPool pool = session.pool();
      pool.apply(BuiltinTasks.SQUARE, 1L); // the pool is up before the clock starts
      long start = System.nanoTime();
      out.println("Hello");
      out.flush();
      CompletableFuture<Double> waiting =
          pool.applyAsync(BuiltinTasks.SLEEP, 1.0).toCompletableFuture();
      long square = pool.apply(BuiltinTasks.SQUARE, 7L);
      long fib = pool.apply(BuiltinTasks.FIB, 25L);
      double busyFor = (System.nanoTime() - start) / 1e9;
      boolean stillWaiting = !waiting.isDone();
      waiting.join();
      out.println("World");
      double total = (System.nanoTime() - start) / 1e9;
      out.println();
      out.printf(
          Locale.ROOT,
          "World came %.2f s after Hello. Meanwhile, %.3f s into the wait, %s had already%n",
          total,
          busyFor,
          alone ? "the same worker" : "the pool");
      out.printf(
          Locale.ROOT,
          "computed carre(7) = %d and fib(25) = %d%s: awaiting a sleep blocks nothing.%n",
          square,
          fib,
          stillWaiting ? " while the sleep was still pending" : "");
      if (!alone)
        out.println(
            "(Another of its workers may have computed them: with one worker, the default, the"
                + " waiting worker does.)");
    }
    out.flush();
  }

  static String workersText(int workers) {
    return workers == 1 ? "one worker" : workers + " workers";
  }
}
