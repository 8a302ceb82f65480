package org.clusterpool.node.handle;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking waits on a handle's calls, and the timeouts they send to the actors. */
public final class Waits {
  private Waits() {}

  /** The timeout of a call that waits as long as it takes. */
  public static final long FOREVER = -1;

  /**
   * The longest a call's timeout waits: 24 days. Pekko's scheduler takes no delay longer than 2^31
   * of its ticks (248 days at its default tick of 10 ms, 24.8 days at the finest tick it allows, 1
   * ms), and a timer asked for more does not start: the actor that asked stops. A timeout longer
   * than this (Python's {@code q.get(timeout=1e9)}, {@code Duration.ofDays(300)}, {@code
   * Duration.ofSeconds(Long.MAX_VALUE)}) waits this long instead: for a person, as good as without
   * end.
   */
  public static final Duration LONGEST = Duration.ofDays(24);

  private static final long LONGEST_MILLIS = LONGEST.toMillis();

  /**
   * Milliseconds for the wire: {@link #FOREVER} for null, 0 (do not wait) for zero or less, and for
   * a positive duration at least 1 ms (a tiny timeout still waits rather than not at all) and at
   * most {@link #LONGEST} (without overflow, however long the duration).
   */
  public static long millis(Duration timeout) {
    if (timeout == null) return FOREVER;
    if (timeout.isZero() || timeout.isNegative()) return 0;
    if (timeout.compareTo(LONGEST) >= 0) return LONGEST_MILLIS;
    return Math.max(1, timeout.toMillis());
  }

  /**
   * The delay to schedule for a timeout of {@code timeoutMillis} as a message carried it: between 1
   * ms and {@link #LONGEST}, whatever the number (a sender of another version, or a hostile one,
   * may send any long). Every timer of a call's timeout, at a handle or at an actor, is started
   * with this, so that no timeout can stop the actor that schedules it.
   */
  public static Duration delay(long timeoutMillis) {
    return Duration.ofMillis(Math.min(Math.max(1, timeoutMillis), LONGEST_MILLIS));
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

  /**
   * Waits for an ask, at most its {@code timeout} and a second more by the JDK's own clock. Pekko
   * runs an ask's timeout on its actor system's scheduler, and a scheduler that stops with its
   * system drops the timeouts it holds: an ask pending when the system terminates would otherwise
   * never end. Past the bound it fails with a {@link TimeoutException} as its cause, as an ask that
   * timed out does.
   */
  public static <T> T joinAsk(CompletionStage<T> ask, Duration timeout) {
    CompletableFuture<T> bounded = new CompletableFuture<>();
    ask.whenComplete(
        (value, error) -> {
          if (error != null) bounded.completeExceptionally(error);
          else bounded.complete(value);
        });
    long millis = (timeout == null ? LONGEST_MILLIS : millis(timeout)) + BACKSTOP.toMillis();
    try {
      return bounded.orTimeout(millis, TimeUnit.MILLISECONDS).join();
    } catch (CompletionException e) {
      Throwable cause = Futures.cause(e.getCause());
      if (cause instanceof TimeoutException && cause.getMessage() == null) {
        throw new IllegalStateException(
            "no answer within "
                + millis
                + " ms: the actor system stopped while the call waited, or its scheduler did not"
                + " run",
            cause);
      }
      throw rethrow(cause, RuntimeException.class);
    }
  }

  /** How much longer than its own timeout {@link #joinAsk} lets an ask take. */
  static final Duration BACKSTOP = Duration.ofSeconds(1);

  private static <X extends Exception> X rethrow(Throwable cause, Class<X> expected) {
    Throwable c = Futures.cause(cause);
    if (expected.isInstance(c)) return expected.cast(c);
    if (c instanceof RuntimeException r) throw r;
    if (c instanceof Error e) throw e;
    throw new IllegalStateException(c.getMessage(), c);
  }
}
