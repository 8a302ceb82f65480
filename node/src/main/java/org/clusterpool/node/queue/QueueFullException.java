package org.clusterpool.node.queue;

/**
 * Python's {@code queue.Full}: a put with a timeout found no room in time. The item was not put.
 */
public final class QueueFullException extends Exception {
  public QueueFullException(String message) {
    super(message);
  }
}
