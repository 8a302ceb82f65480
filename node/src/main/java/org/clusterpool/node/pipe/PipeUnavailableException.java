package org.clusterpool.node.pipe;

/**
 * A call that would have waited for ever for the other end of a pipe to open: nobody opened it (or
 * finished its handshake) within {@code clusterpool.pipe.give-up-after}. The end itself stays open;
 * a later call waits again, as long.
 */
public final class PipeUnavailableException extends IllegalStateException {
  public PipeUnavailableException(String message) {
    super(message);
  }
}
