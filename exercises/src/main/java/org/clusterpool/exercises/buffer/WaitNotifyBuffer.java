package org.clusterpool.exercises.buffer;

/**
 * The textbook monitor: a ring of slots guarded by {@code synchronized}. A producer waits while it
 * is full, a consumer while it is empty, each in a {@code while} loop (a wake-up proves nothing:
 * check again), and every change wakes all waiters with {@code notifyAll}, since producers and
 * consumers wait on the same monitor and a single {@code notify} could wake the wrong kind.
 */
final class WaitNotifyBuffer implements BoundedBuffer {
  private long[] slots;
  private int head;
  private int size;

  @Override
  public synchronized void open(int capacity) {
    slots = new long[capacity];
  }

  @Override
  public synchronized void put(long item) throws InterruptedException {
    while (size == slots.length) wait();
    slots[(head + size) % slots.length] = item;
    size++;
    notifyAll();
  }

  @Override
  public synchronized long take() throws InterruptedException {
    while (size == 0) wait();
    long item = slots[head];
    head = (head + 1) % slots.length;
    size--;
    notifyAll();
    return item;
  }
}
