package org.clusterpool.coordinator.members;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.catalog.TaskPaths;
import org.clusterpool.node.config.LayeredConfig;

/**
 * A pool for one command or one demo, and what it started: an embedded pool, or a {@link
 * LocalCluster} of worker JVMs. Closing the session stops all of it.
 */
public final class PoolSession implements AutoCloseable {
  private final ClusterPool pool;
  private final LocalCluster cluster;
  private final java.util.List<AutoCloseable> also =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private PoolSession(ClusterPool pool, LocalCluster cluster) {
    this.pool = pool;
    this.cluster = cluster;
  }

  /**
   * {@code nodes} 0: an embedded pool of {@code workers} workers (0: one per processor). Otherwise
   * {@code nodes} worker JVMs of {@code workers} workers each, logging into {@code logs/<logName>/}
   * under the project's home. Every node runs the tasks of {@code tasks} ({@code --tasks}; none:
   * those of the config) besides the class path's.
   */
  public static PoolSession open(int workers, int nodes, List<Path> tasks, String logName) {
    if (nodes <= 0) {
      Config overrides =
          tasks.isEmpty()
              ? ConfigFactory.empty()
              : TaskPaths.fromConfig(LayeredConfig.load("embedded"))
                  .withPaths(tasks)
                  .into(ConfigFactory.empty());
      return new PoolSession(
          workers > 0 ? ClusterPool.embedded(workers, overrides) : ClusterPool.embedded(overrides),
          null);
    }
    LocalCluster cluster =
        LocalCluster.start(nodes, workers, logDirectory().resolve(logName), tasks);
    return new PoolSession(cluster.pool(), cluster);
  }

  /**
   * Where node logs go: {@code logs/} in the project's home (set by bin/clusterpool), else in the
   * temp folder.
   */
  public static Path logDirectory() {
    String home = System.getProperty("clusterpool.home");
    return home != null
        ? Path.of(home, "logs")
        : Path.of(System.getProperty("java.io.tmpdir"), "clusterpool-logs");
  }

  public ClusterPool pool() {
    return pool;
  }

  /** The worker JVMs, or null for an embedded pool. */
  public LocalCluster cluster() {
    return cluster;
  }

  /**
   * Closes {@code resource} (what serves this run: its dashboard) when the session closes, before
   * the pool stops.
   */
  public void alsoClose(AutoCloseable resource) {
    also.add(resource);
  }

  private static final java.time.Duration STOP_WAIT = java.time.Duration.ofSeconds(3);

  private static final java.util.concurrent.atomic.AtomicBoolean LEFT_RUNNING =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Whether a session of this JVM closed its embedded pool and the pool did not stop within a
   * bound: a task stuck for good holds a worker's thread, and the actor system waits for it.
   */
  public static boolean poolLeftRunning() {
    return LEFT_RUNNING.get();
  }

  @Override
  public void close() {
    for (AutoCloseable resource : also) {
      try {
        resource.close();
      } catch (Exception e) {
        // the pool stops anyway; what served it goes with it
      }
    }
    if (cluster != null) {
      cluster.close();
    } else {
      pool.close();
      // a task stuck for good (deaf to its cancellation) holds its worker's thread, and the pool
      // never stops: the command's answer, already made, must not wait for it (the JVM's exit ends
      // that thread)
      if (!pool.join(STOP_WAIT)) LEFT_RUNNING.set(true);
    }
  }
}
