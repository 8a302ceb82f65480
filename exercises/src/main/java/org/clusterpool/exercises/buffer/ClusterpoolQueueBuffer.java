package org.clusterpool.exercises.buffer;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.queue.DistributedQueue;
import org.clusterpool.node.task.ValueTypes;
import org.slf4j.LoggerFactory;

/**
 * The buffer is clusterpool's own queue, {@code DistributedQueue.create(system, name, LONG,
 * capacity)}: the bounded queue of {@code multiprocessing.Queue(maxsize)}, whose put waits for room
 * and whose get waits for an item. The same handle works from any JVM of a cluster; here producers
 * and consumers share one.
 */
final class ClusterpoolQueueBuffer implements BoundedBuffer {
  private ActorSystem<Void> system;
  private DistributedQueue<Long> queue;

  @Override
  public void open(int capacity) {
    // SLF4J set up on this thread first, before the system's threads log while it initialises
    LoggerFactory.getILoggerFactory();
    system =
        ActorSystem.create(Behaviors.empty(), "clusterpool-queue", LayeredConfig.load("embedded"));
    queue = DistributedQueue.create(system, "buffer", ValueTypes.LONG, capacity);
  }

  @Override
  public void put(long item) throws InterruptedException {
    queue.put(item);
  }

  @Override
  public long take() throws InterruptedException {
    return queue.get();
  }

  @Override
  public void close() {
    if (system == null) return;
    system.terminate();
    system
        .getWhenTerminated()
        .toCompletableFuture()
        .orTimeout(10, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }
}
