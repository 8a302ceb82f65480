package org.clusterpool.node.handle;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** Blocking waits on a handle's calls, and the timeouts they send to the actors. */
public final class Waits {
  private Waits() {}

  /** The timeout of a call that waits as long as it takes. */
  public static final long FOREVER = -1;

  /**
   * Milliseconds for the wire: {@link #FOREVER} for null, 0 (do not wait) for zero or less, and at
   * least 1 ms for a positive duration, so that a tiny timeout still waits rather than not at all.
   */
  public static long millis(Duration timeout) {
    if (timeout == null) return FOREVER;
    if (timeout.isZero() || timeout.isNegative()) return 0;
    return Math.max(1, timeout.toMillis());
  }

  /**
   * Waits for the call. An interrupt cancels it (its actor then withdraws it) and is thrown; the
   * call's own failure is thrown as it is: unchecked, or checked for {@code expected} (such as
   * {@code QueueEmptyException}).
   */
  public static <T, X extends Exception> T await(CompletableFuture<T> call, Class<X> expected)
      throws InterruptedException, X {
    try {
      return call.get();
    } catch (InterruptedException e) {
      call.cancel(false);
      throw e;
    } catch (ExecutionException e) {
      throw rethrow(e.getCause(), expected);
    }
  }

  /**
   * As {@link #await(CompletableFuture, Class)} for calls that fail only with unchecked exceptions.
   */
  public static <T> T await(CompletableFuture<T> call) throws InterruptedException {
    return await(call, RuntimeException.class);
  }

  /**
   * Waits, without answering interrupts, for a short call whose answer is bounded anyway (by an ask
   * timeout, or by the watch on the actor that answers); its failure is thrown unchecked.
   */
  public static <T> T join(CompletionStage<T> call) {
    try {
      return call.toCompletableFuture().join();
    } catch (CompletionException e) {
      throw rethrow(e.getCause(), RuntimeException.class);
    }
  }

  private static <X extends Exception> X rethrow(Throwable cause, Class<X> expected) {
    Throwable c = Futures.cause(cause);
    if (expected.isInstance(c)) return expected.cast(c);
    if (c instanceof RuntimeException r) throw r;
    if (c instanceof Error e) throw e;
    throw new IllegalStateException(c.getMessage(), c);
  }
}
