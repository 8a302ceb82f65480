package org.clusterpool.coordinator.pool;

import java.util.List;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * An application that embeds clusterpool as a user writes one: {@code ClusterPool.embedded()}, no
 * config in code; its settings come from its own {@code application.conf}
 * (src/test/embedding-application). It prints the squares of one map and the worker slots its pool
 * has, for {@link EmbeddedApplicationConfigTest}.
 */
public final class EmbeddingApplication {
  private EmbeddingApplication() {}

  public static void main(String[] args) {
    try (ClusterPool pool = ClusterPool.embedded()) {
      System.out.println("squares " + pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L, 3L)));
      System.out.println("worker slots " + pool.workerSlots());
    }
  }
}
