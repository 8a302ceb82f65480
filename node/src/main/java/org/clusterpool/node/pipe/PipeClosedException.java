package org.clusterpool.node.pipe;

/**
 * A call on a pipe end that cannot work any more: this end was closed ({@code OSError: handle is
 * closed} in Python), or a send found the other end closed ({@code BrokenPipeError}). Reading past
 * the other end's last message is an {@link java.io.EOFException} instead.
 */
public final class PipeClosedException extends IllegalStateException {
  public PipeClosedException(String message) {
    super(message);
  }
}
