package org.clusterpool.coordinator.pool;

import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link PoolSemantics} on {@code ClusterPool.connect(url)}: the test run's shared cluster (a
 * coordinator with its HTTP API, a worker JVM of two workers), reached over HTTP only.
 */
@ExtendWith(SharedCluster.Extension.class)
class ConnectedPoolSemanticsTest extends PoolSemantics {
  private String url;

  /**
   * Overridden, so that JUnit does not run it: the pool needs the cluster's address first, which
   * comes below.
   */
  @Override
  void start() {}

  @BeforeAll
  void startOnTheSharedCluster(SharedCluster cluster) {
    url = cluster.url().toString();
    pool = open();
  }

  @Override
  ClusterPool open() {
    return ClusterPool.builder().token(SharedCluster.TOKEN).connect(url);
  }

  @Override
  ClusterPool openAnother() {
    return ClusterPool.builder().token(SharedCluster.TOKEN).connect(url);
  }

  @Override
  boolean hasActorSystem() {
    return false;
  }

  @Override
  boolean imapGoesOnAfterAFailure() {
    return false;
  }
}
