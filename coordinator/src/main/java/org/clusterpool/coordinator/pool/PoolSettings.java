package org.clusterpool.coordinator.pool;

import com.typesafe.config.Config;

/** The client side of {@code clusterpool.chunk}, {@code clusterpool.job} and {@code clusterpool.input}. */
record PoolSettings(
    int maxChunkSize,
    int autoFactor,
    long autoTargetNanos,
    int windowPerSlot,
    int windowMin,
    int maxTextLength) {

  static PoolSettings fromConfig(Config config) {
    Config chunk = config.getConfig("clusterpool.chunk");
    Config job = config.getConfig("clusterpool.job");
    return new PoolSettings(
        chunk.getInt("max-size"),
        chunk.getInt("auto-factor"),
        chunk.getDuration("auto-target").toNanos(),
        job.getInt("window-per-slot"),
        job.getInt("window-min"),
        config.getInt("clusterpool.input.max-text-length"));
  }

  int window(int workerSlots) {
    return Math.max(windowMin, windowPerSlot * Math.max(1, workerSlots));
  }
}
