package org.clusterpool.coordinator.demo;

import org.clusterpool.coordinator.pool.ClusterPool;

/**
 * {@code demo --dashboard}: serves the live dashboard of each pool a demo runs, for as long as that
 * pool runs. The command line makes it (the HTTP API on 127.0.0.1, its link on standard error);
 * {@link #NONE} when not asked.
 */
@FunctionalInterface
public interface PoolDashboard {
  PoolDashboard.Served NONE_SERVED = () -> {};
  PoolDashboard NONE = pool -> NONE_SERVED;

  /** What serves one pool; closing it stops serving (before the pool stops). */
  interface Served extends AutoCloseable {
    @Override
    void close();
  }

  Served serve(ClusterPool pool);
}
