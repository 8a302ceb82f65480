package org.clusterpool.node.queue;

/**
 * The queue cannot be reached: no queue of that name was found, or the node that held it left the
 * cluster (its items went with it), or this handle was detached.
 */
public final class QueueUnavailableException extends IllegalStateException {
  public QueueUnavailableException(String message) {
    super(message);
  }
}
