package org.clusterpool.node.handle;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.clusterpool.node.wire.Values;

/**
 * Handing an item that came for a caller (a get of a queue, a recv of a pipe) to that caller: it is
 * read into the caller's type and completes the caller's future. The caller may have given up
 * meanwhile (it was interrupted, or cancelled): then the item is refused, and its owner takes it
 * back. An item the caller's type cannot read fails the call and counts as read: it would fail the
 * next caller too.
 */
public final class Handover {
  private Handover() {}

  /** What became of an item on its way to a caller. */
  public enum Outcome {
    TAKEN,
    REFUSED,
    UNREADABLE;

    /** Whether the item is gone from its owner (taken, or read if not understood). */
    public boolean consumed() {
      return this != REFUSED;
    }
  }

  /**
   * Completes {@code result} with {@code item} read by {@code decode}. {@code counted} runs before
   * the caller can see the item (so whoever it wakes reads counts that include it), {@code
   * uncounted} after a refusal. {@code cannotRead} begins the message of an unreadable item ({@code
   * "pipe 'p' received a message this end cannot read"}).
   */
  public static <T> Outcome deliver(
      Values item,
      Function<Values, T> decode,
      CompletableFuture<T> result,
      String cannotRead,
      Runnable counted,
      Runnable uncounted) {
    T value;
    try {
      value = decode.apply(item);
    } catch (RuntimeException e) {
      result.completeExceptionally(
          new IllegalStateException(cannotRead + ": " + e.getMessage(), e));
      return Outcome.UNREADABLE;
    }
    counted.run();
    if (result.complete(value)) return Outcome.TAKEN;
    uncounted.run();
    return Outcome.REFUSED;
  }

  /**
   * As {@link #deliver(Values, Function, CompletableFuture, String, Runnable, Runnable)} with
   * nothing to count.
   */
  public static <T> Outcome deliver(
      Values item, Function<Values, T> decode, CompletableFuture<T> result, String cannotRead) {
    return deliver(item, decode, result, cannotRead, () -> {}, () -> {});
  }
}
