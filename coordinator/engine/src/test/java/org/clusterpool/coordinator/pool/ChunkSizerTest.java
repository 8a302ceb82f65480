package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.clusterpool.node.task.TaskKind;
import org.junit.jupiter.api.Test;

class ChunkSizerTest {
  private static final PoolSettings SETTINGS =
      new PoolSettings(
          65_536,
          4096,
          1 << 20,
          2,
          10_000_000,
          4,
          16,
          65_536,
          65_536,
          20_000,
          1000,
          java.time.Duration.ofSeconds(30),
          java.time.Duration.ofSeconds(5),
          new org.clusterpool.node.protocol.MessageBudget(1536 * 1024));

  private static List<Integer> sizes(ChunkSizer sizer, long n, int workers) {
    List<Integer> sizes = new ArrayList<>();
    for (long remaining = n; remaining > 0; ) {
      int size = sizer.next(remaining, workers);
      sizes.add(size);
      remaining -= size;
    }
    return sizes;
  }

  @Test
  void automaticChunksShrinkTowardsTheEndAndCoverEveryInput() {
    List<Integer> sizes = sizes(ChunkSizer.automatic(65_536, SETTINGS), 1000, 2);
    assertEquals(1000, sizes.stream().mapToInt(Integer::intValue).sum());
    assertEquals(250, sizes.get(0), "ceil(1000 / (2 * 2))");
    for (int i = 1; i < sizes.size(); i++)
      assertTrue(sizes.get(i) <= sizes.get(i - 1), sizes.toString());
    assertEquals(1, sizes.get(sizes.size() - 1));
  }

  @Test
  void automaticChunksNeverExceedTheTransportLimit() {
    List<Integer> sizes = sizes(ChunkSizer.automatic(65_536, SETTINGS), 10_000_000, 2);
    assertEquals(65_536, sizes.get(0));
    assertEquals(10_000_000L, sizes.stream().mapToLong(Integer::longValue).sum());
  }

  @Test
  void aGivenSizeIsKeptAndTheLastChunkHoldsTheRest() {
    assertEquals(List.of(3, 3, 1), sizes(ChunkSizer.fixed(3, 65_536, SETTINGS), 7, 8));
    assertEquals(
        List.of(65_536, 34_464), sizes(ChunkSizer.fixed(1_000_000, 65_536, SETTINGS), 100_000, 2));
    assertThrows(IllegalArgumentException.class, () -> ChunkSizer.fixed(0, 65_536, SETTINGS));
  }

  @Test
  void withoutALengthChunksFollowTheMeasuredCost() {
    ChunkSizer sizer = ChunkSizer.automatic(65_536, SETTINGS);
    assertEquals(16, sizer.next(-1, 2), "nothing measured yet: a small first chunk");
    sizer.recordCost(1_000_000, 10); // 100 µs an input
    assertEquals(100, sizer.next(-1, 2), "10 ms of work");
  }

  @Test
  void theWindowHoldsMoreChunksWhenTheyAreSmall() {
    assertEquals(16, SETTINGS.window(2, TaskKind.CPU, 65_536), "big chunks: a few per worker");
    assertEquals(
        65_536, SETTINGS.window(2, TaskKind.CPU, 1), "chunks of one input: 65,536 of them");
    assertEquals(
        65_536,
        SETTINGS.window(2, TaskKind.ASYNC, 1),
        "async: at least what the workers hold (2 x 20,000)");
    assertEquals(
        6_553, SETTINGS.window(2, TaskKind.ASYNC, 10), "async in chunks of 10: the inputs' window");
    assertEquals(
        40_000,
        SETTINGS.window(2, TaskKind.ASYNC, 1) - 25_536,
        "async: 2 x 20,000 calls, under 65,536 inputs");
  }

  @Test
  void pythonsRuleIsFourChunksPerWorker() {
    assertEquals(125_000, ChunkSizer.pythonRule(1_000_000, 2));
    assertEquals(1, ChunkSizer.pythonRule(3, 4));
  }
}
