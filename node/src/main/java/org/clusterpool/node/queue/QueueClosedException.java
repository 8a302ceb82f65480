package org.clusterpool.node.queue;

/**
 * Python's {@code queue.ShutDown}: the queue was closed. A put fails with it at once; a get once
 * the queue has handed out its last item.
 */
public final class QueueClosedException extends IllegalStateException {
  public QueueClosedException(String message) {
    super(message);
  }
}
