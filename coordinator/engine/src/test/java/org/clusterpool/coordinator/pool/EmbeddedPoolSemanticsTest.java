package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /** Its actor system, and with it every thread that would keep the program alive, has ended. */
  @Override
  void assertStopped(ClusterPool stopped) {
    assertTrue(stopped.system().getWhenTerminated().toCompletableFuture().isDone());
  }
}
