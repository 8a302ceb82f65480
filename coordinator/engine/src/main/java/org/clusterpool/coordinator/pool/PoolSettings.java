package org.clusterpool.coordinator.pool;

import com.typesafe.config.Config;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.wire.Values;

/**
 * The client side of {@code clusterpool.chunk}, {@code clusterpool.job}, {@code clusterpool.input}
 * and {@code clusterpool.message}.
 */
record PoolSettings(
    int maxChunkSize,
    int maxChunkSizeObjects,
    long maxChunkBytes,
    int autoFactor,
    long autoTargetNanos,
    int windowPerSlot,
    int windowMin,
    int windowInputs,
    int maxTextLength,
    int asyncCallsPerWorker,
    int chunksPerMessage,
    java.time.Duration coordinatorTimeout,
    java.time.Duration checkInterval,
    MessageBudget budget) {

  static PoolSettings fromConfig(Config config) {
    Config chunk = config.getConfig("clusterpool.chunk");
    Config job = config.getConfig("clusterpool.job");
    MessageBudget budget = MessageBudget.fromConfig(config);
    return new PoolSettings(
        chunk.getInt("max-size"),
        chunk.getInt("max-size-objects"),
        maxChunkBytes(chunk.getBytes("max-bytes"), budget),
        chunk.getInt("auto-factor"),
        chunk.getDuration("auto-target").toNanos(),
        job.getInt("window-per-slot"),
        job.getInt("window-min"),
        job.getInt("window-inputs"),
        config.getInt("clusterpool.input.max-text-length"),
        config.getInt("clusterpool.worker.max-async-calls"),
        job.getInt("chunks-per-message"),
        job.getDuration("coordinator-timeout"),
        job.getDuration("check-interval"),
        budget);
  }

  /**
   * A chunk travels in one message: under a smaller Artery frame than clusterpool's own (an
   * application's actor system with Pekko's default of 256 KiB), chunks are cut smaller, rather
   * than a job that never cuts one.
   */
  static long maxChunkBytes(long configured, MessageBudget budget) {
    return Math.min(configured, budget.content() - CHUNK_ROOM);
  }

  /**
   * What a message of chunks needs beside one chunk's inputs: the values' header and the chunk's
   * own fields.
   */
  static final long CHUNK_ROOM = Values.HEADER + 1024;

  /**
   * The largest chunk for a task: results of numbers are small, results of text or records less so.
   */
  int maxChunkSize(ValueType<?> outputType) {
    boolean primitive =
        outputType == ValueTypes.LONG
            || outputType == ValueTypes.DOUBLE
            || outputType == ValueTypes.BOOLEAN;
    return primitive ? maxChunkSize : Math.min(maxChunkSize, maxChunkSizeObjects);
  }

  /**
   * How many chunks of a job may be out at once. Cpu work: a few per worker, enough to keep each
   * one fed, and at least {@code windowInputs} inputs, so that small chunks still fill the pipe
   * between JVMs. Async work: as many as the workers can hold in flight, since waiting calls cost
   * no thread.
   */
  int window(int workerSlots, TaskKind kind, int lastChunkSize) {
    int slots = Math.max(1, workerSlots);
    int size = Math.max(1, lastChunkSize);
    long chunks = Math.max(windowPerSlot * (long) slots, windowInputs / size);
    if (kind == TaskKind.ASYNC)
      chunks = Math.max(chunks, (long) slots * asyncCallsPerWorker / size);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(windowMin, chunks));
  }
}
