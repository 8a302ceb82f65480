package org.clusterpool.exercises.buffer;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * The library's answer: one lock and two conditions (not full, not empty), so a put wakes only a
 * consumer and a take only a producer.
 */
final class ArrayBlockingQueueBuffer implements BoundedBuffer {
  private ArrayBlockingQueue<Long> queue;

  @Override
  public void open(int capacity) {
    queue = new ArrayBlockingQueue<>(capacity);
  }

  @Override
  public void put(long item) throws InterruptedException {
    queue.put(item);
  }

  @Override
  public long take() throws InterruptedException {
    return queue.take();
  }
}
