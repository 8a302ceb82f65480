package org.clusterpool.coordinator.pool;

/**
 * How many inputs go into the next chunk.
 *
 * <p>Given a size, that size (split to the transport's maximum). Automatic, with the input's length
 * known: guided self-scheduling, each chunk {@code ceil(remaining / (factor * workers))}. The first
 * chunks are large, so cheap work pays few messages; the last ones are small, so the tail of the
 * job is shared out instead of landing on one worker. Python's {@code Pool.map} uses one size,
 * {@code ceil(n / (4 * workers))}, and when the cost of inputs grows along the input the last,
 * dearest chunk sets the finish time.
 *
 * <p>Automatic, with the length unknown (a lazy {@code imap} input): start small, then size chunks
 * to take about {@code autoTargetNanos} each from the cost the workers report.
 */
final class ChunkSizer {
  private static final int UNKNOWN_COST_START = 16;

  private final int fixed; // 0: automatic
  private final int max;
  private final int factor;
  private final long targetNanos;
  private double nanosPerInput;

  private ChunkSizer(int fixed, int max, int factor, long targetNanos) {
    this.fixed = fixed;
    this.max = max;
    this.factor = factor;
    this.targetNanos = targetNanos;
  }

  /**
   * {@code max}: the largest chunk, from {@link
   * PoolSettings#maxChunkSize(org.clusterpool.node.task.ValueType)}.
   */
  static ChunkSizer fixed(int chunksize, int max, PoolSettings settings) {
    if (chunksize < 1)
      throw new IllegalArgumentException("chunksize must be at least 1, got " + chunksize);
    return new ChunkSizer(chunksize, max, settings.autoFactor(), settings.autoTargetNanos());
  }

  static ChunkSizer automatic(int max, PoolSettings settings) {
    return new ChunkSizer(0, max, settings.autoFactor(), settings.autoTargetNanos());
  }

  /** The size of the next chunk; {@code remaining} is -1 when the input's length is unknown. */
  int next(long remaining, int workerSlots) {
    long size;
    if (fixed > 0) {
      size = fixed;
    } else if (remaining >= 0) {
      long parts = (long) factor * Math.max(1, workerSlots);
      size = (remaining + parts - 1) / parts;
    } else if (nanosPerInput > 0) {
      size = (long) (targetNanos / nanosPerInput);
    } else {
      size = UNKNOWN_COST_START;
    }
    size = Math.max(1, Math.min(size, max));
    return remaining >= 0 ? (int) Math.min(size, Math.max(remaining, 1)) : (int) size;
  }

  /** The python rule, for comparisons: {@code ceil(n / (4 * workers))}. */
  static int pythonRule(long n, int workers) {
    long parts = 4L * Math.max(1, workers);
    return (int) Math.max(1, (n + parts - 1) / parts);
  }

  void recordCost(long nanos, int inputs) {
    if (inputs <= 0 || nanos <= 0) return;
    double sample = (double) nanos / inputs;
    nanosPerInput = nanosPerInput == 0 ? sample : 0.7 * nanosPerInput + 0.3 * sample;
  }
}
