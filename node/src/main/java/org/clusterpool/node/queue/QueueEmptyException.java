package org.clusterpool.node.queue;

/** Python's {@code queue.Empty}: a get with a timeout found no item in time. Nothing was taken. */
public final class QueueEmptyException extends Exception {
  public QueueEmptyException(String message) {
    super(message);
  }
}
