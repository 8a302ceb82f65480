package org.clusterpool.coordinator.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.clusterpool.coordinator.members.PoolSession;
import org.clusterpool.coordinator.pool.ClusterPool;

/**
 * What a demo needs from the command line: where to print, how many workers to use (0: the demo's
 * own choice), how many worker JVMs ({@code --nodes}; 0: the embedded default, everything in this
 * JVM), the task paths every JVM it starts is given ({@code --tasks}; none: those of the config),
 * and whether to measure less ({@code --quick}: a shorter, rougher run of the demos that time
 * things).
 */
public record DemoContext(
    PrintWriter out,
    int workers,
    int nodes,
    List<Path> tasks,
    boolean quick,
    PoolDashboard dashboard) {

  public DemoContext {
    tasks = List.copyOf(tasks);
  }

  public DemoContext(PrintWriter out, int workers, int nodes, List<Path> tasks, boolean quick) {
    this(out, workers, nodes, tasks, quick, PoolDashboard.NONE);
  }

  /**
   * {@code --dashboard}: serves the pool's run until what it returns is closed (nothing when not
   * asked).
   */
  PoolDashboard.Served serve(ClusterPool pool) {
    return dashboard.serve(pool);
  }

  public DemoContext(PrintWriter out, int workers, int nodes) {
    this(out, workers, nodes, List.of(), false);
  }

  public DemoContext(PrintWriter out, int workers) {
    this(out, workers, 0);
  }

  public int workersOr(int fallback) {
    return workers > 0 ? workers : fallback;
  }

  /**
   * The demo's pool: {@code --nodes} worker JVMs of {@code workers} workers each, or {@code
   * workers} workers in this JVM. Closing the session stops it and waits (boundedly) until it has
   * stopped: a pool left stopping when the command's JVM exits sees that exit as its workers'
   * crash.
   */
  PoolSession openPool(int workers, String logName) {
    return PoolSession.open(workers, nodes, tasks, logName + "-" + ProcessHandle.current().pid());
  }

  /**
   * The demo's pool and the actor system its queues and pipes live in: {@code --nodes} worker JVMs,
   * or this JVM.
   */
  DemoSession openSession(int defaultWorkers, String logName) {
    return DemoSession.open(
        workersOr(defaultWorkers),
        nodes,
        tasks,
        logName + "-" + ProcessHandle.current().pid(),
        dashboard);
  }
}
