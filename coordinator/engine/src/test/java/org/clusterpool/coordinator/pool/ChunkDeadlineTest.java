package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.clusterpool.coordinator.testtasks.StuckOnce;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A chunk stuck past its deadline on one worker runs again on another worker of the same node:
 * stopping the stuck attempt must not stop the new one.
 */
@Timeout(120)
class ChunkDeadlineTest {

  @AfterEach
  void letGo() {
    StuckOnce.release();
  }

  @Test
  void aChunkStuckOnOneWorkerRunsAgainOnAnotherWorkerOfItsNodeAndTheJobEnds() throws Exception {
    List<String> retries = new CopyOnWriteArrayList<>();
    JobListener listener =
        new JobListener() {
          @Override
          public void chunkRetried(String jobId, long seq, int size, String reason) {
            retries.add(reason);
          }
        };
    try (ClusterPool pool =
        ClusterPool.embedded(
            2,
            ConfigFactory.parseString(
                "clusterpool.chunk.timeout = 2 s\nclusterpool.chunk.timeout-min = 1 s"))) {
      List<Long> out =
          pool.mapAsync(new StuckOnce(), List.of(0L, 1L, 2L, 3L), 1, listener)
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      assertEquals(List.of(0L, 1L, 2L, 3L), out);
      assertTrue(StuckOnce.stuckOne(), "the first call on 0 hung");
      assertTrue(
          retries.stream().anyMatch(r -> r.contains("passed its deadline")), retries.toString());
      assertTrue(
          retries.stream().noneMatch(r -> r.contains("lost")),
          "the new attempt ran, it was not dropped as stopped: " + retries);
    }
  }
}
