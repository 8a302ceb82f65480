package org.clusterpool.coordinator.pool;

/** {@link PoolSemantics} on an embedded pool: actors in this JVM. */
class EmbeddedPoolSemanticsTest extends PoolSemantics {
  @Override
  ClusterPool open() {
    return ClusterPool.embedded(2);
  }

  @Override
  ClusterPool openAnother() {
    return ClusterPool.embedded(1);
  }
}
