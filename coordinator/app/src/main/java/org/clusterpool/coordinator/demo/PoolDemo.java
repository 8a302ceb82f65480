package org.clusterpool.coordinator.demo;

import java.io.PrintWriter;
import java.util.List;
import org.clusterpool.coordinator.members.PoolSession;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.task.builtin.WhoAmI;

/**
 * The course's {@code Pool(4).map(carre, [1, 2, 3, 4, 5])}, and which worker computed each square.
 */
final class PoolDemo implements Demo {
  @Override
  public String name() {
    return "pool";
  }

  @Override
  public String summary() {
    return "Pool(4).map(carre, [1, 2, 3, 4, 5]) -> [1, 4, 9, 16, 25], and who computed what";
  }

  @Override
  public void run(DemoContext context) {
    PrintWriter out = context.out();
    int workers = context.workersOr(4);
    out.println("The course (Python):");
    out.println("    with Pool(4) as p:");
    out.println("        print(p.map(carre, [1, 2, 3, 4, 5]))");
    out.println();
    out.println("clusterpool (Java):");
    out.println(
        "    try (ClusterPool p = "
            + (context.nodes() > 0
                ? "ClusterPool.builder().workersPerNode("
                    + workers
                    + ").local("
                    + context.nodes()
                    + ")"
                : "ClusterPool.embedded(" + workers + ")")
            + ") {");
    out.println(
        "        System.out.println(p.map(BuiltinTasks.SQUARE, List.of(1L, 2L, 3L, 4L, 5L)));");
    out.println("    }");
    out.println();
    try (PoolSession session = context.openPool(workers, "pool");
        PoolDashboard.Served served = context.serve(session.pool())) {
      ClusterPool pool = session.pool();
      List<Long> squares = pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L, 3L, 4L, 5L));
      out.println(squares);
      out.println();
      out.println("Who computed what (the same inputs with whoami, one input per chunk):");
      for (WhoAmI.Answer answer : pool.map(BuiltinTasks.WHOAMI, List.of(1L, 2L, 3L, 4L, 5L), 1)) {
        out.println(
            "    carre("
                + answer.input()
                + ") ran on "
                + answer.worker()
                + " (pid "
                + answer.pid()
                + ")");
      }
      out.println();
      out.println(
          "Each worker is an actor with its own thread and its own state; the inputs and the"
              + " squares");
      out.println(
          context.nodes() > 0
              ? "travelled to and from it as messages, between this JVM and the worker JVMs: the"
                  + " processes whose pids are above."
              : "travelled to and from it as messages, as they would between processes.");
    }
    out.flush();
  }
}
