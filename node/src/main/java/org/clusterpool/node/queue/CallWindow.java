package org.clusterpool.node.queue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The calls of one kind (puts, or gets) that a {@link QueueClient} lets out to its queue: at most a
 * window of them at a time, the others wait here in order. So the queue never holds more than a
 * window of one handle's waiting calls of a kind. Used by the client's actor only.
 */
final class CallWindow<C extends CallWindow.Timed> {

  /** A call with a timeout that runs from when the caller made it. */
  interface Timed {
    long timeoutMillis();

    long startNanos();

    CompletableFuture<?> result();
  }

  private final int size;
  private final Deque<C> waiting = new ArrayDeque<>();
  private int out;

  CallWindow(int size) {
    this.size = size;
  }

  void add(C call) {
    waiting.add(call);
  }

  /** A call that was out was answered, or withdrawn: its place is free. */
  void answered() {
    out--;
  }

  /**
   * Lets waiting calls out while the window has room, each with what is left of its timeout; one
   * whose timeout passed while it waited here goes to {@code timedOut} instead, one its caller gave
   * up is dropped.
   */
  void letOut(Consumer<C> timedOut, BiConsumer<C, Long> send) {
    while (out < size && !waiting.isEmpty()) {
      C call = waiting.poll();
      if (call.result().isDone()) continue;
      long timeout = remaining(call.timeoutMillis(), call.startNanos());
      if (timeout == 0 && call.timeoutMillis() > 0) {
        timedOut.accept(call);
        continue;
      }
      out++;
      send.accept(call, timeout);
    }
  }

  /**
   * What is left of a timeout: -1 stays -1 (no limit), 0 stays 0, a positive one shrinks to 0 at
   * most.
   */
  private static long remaining(long timeoutMillis, long startNanos) {
    if (timeoutMillis <= 0) return timeoutMillis;
    long left = timeoutMillis - (System.nanoTime() - startNanos) / 1_000_000;
    return Math.max(0, left);
  }
}
