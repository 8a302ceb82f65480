package org.clusterpool.coordinator.pool;

/**
 * {@link PoolSemantics} on {@code ClusterPool.local(2)}: two worker JVMs started for the pool, this
 * JVM their coordinator.
 */
class LocalPoolSemanticsTest extends PoolSemantics {
  @Override
  ClusterPool open() {
    return ClusterPool.builder().workersPerNode(1).local(2);
  }

  @Override
  ClusterPool openAnother() {
    return ClusterPool.builder().workersPerNode(1).local(1);
  }
}
