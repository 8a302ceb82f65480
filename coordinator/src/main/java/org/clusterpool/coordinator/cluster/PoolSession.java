package org.clusterpool.coordinator.cluster;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.catalog.TaskPaths;

/**
 * A pool for one command or one demo, and what it started: an embedded pool, or a {@link LocalCluster}
 * of worker JVMs. Closing the session stops all of it.
 */
public final class PoolSession implements AutoCloseable {
  private final ClusterPool pool;
  private final LocalCluster cluster;

  private PoolSession(ClusterPool pool, LocalCluster cluster) {
    this.pool = pool;
    this.cluster = cluster;
  }

  /**
   * {@code nodes} 0: an embedded pool of {@code workers} workers (0: one per processor). Otherwise {@code nodes}
   * worker JVMs of {@code workers} workers each, logging into {@code logs/<logName>/} under the project's home. Every
   * node runs the tasks of {@code tasks} ({@code --tasks}; none: those of the config) besides the class path's.
   */
  public static PoolSession open(int workers, int nodes, List<Path> tasks, String logName) {
    if (nodes <= 0) {
      return new PoolSession(ClusterPool.embedded(workers, tasks.isEmpty()
          ? ConfigFactory.empty()
          : TaskPaths.fromConfig(ConfigFactory.load("embedded")).withPaths(tasks).into(ConfigFactory.empty())), null);
    }
    LocalCluster cluster = LocalCluster.start(nodes, workers, logDirectory().resolve(logName), tasks);
    return new PoolSession(cluster.pool(), cluster);
  }

  /** Where node logs go: {@code logs/} in the project's home (set by bin/clusterpool), else in the temp folder. */
  public static Path logDirectory() {
    String home = System.getProperty("clusterpool.home");
    return home != null ? Path.of(home, "logs") : Path.of(System.getProperty("java.io.tmpdir"), "clusterpool-logs");
  }

  public ClusterPool pool() {
    return pool;
  }

  /** The worker JVMs, or null for an embedded pool. */
  public LocalCluster cluster() {
    return cluster;
  }

  @Override
  public void close() {
    if (cluster != null) {
      cluster.close();
    } else {
      pool.close();
      pool.join(java.time.Duration.ofSeconds(30));
    }
  }
}
