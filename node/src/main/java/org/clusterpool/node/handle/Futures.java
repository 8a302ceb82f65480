package org.clusterpool.node.handle;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * What the actors and callers of futures do in one way everywhere: see the failure itself through
 * the wrapper a stage puts around it, and complete a caller's future on the dispatcher rather than
 * on an actor's thread (a caller that blocks in a callback must not stop the actor from answering).
 */
public final class Futures {
  private Futures() {}

  /** The failure itself, not the {@link CompletionException} that stages put around it. */
  public static Throwable cause(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  /** Completes {@code result} with {@code value} on {@code executor}. */
  public static <T> void complete(Executor executor, CompletableFuture<T> result, T value) {
    executor.execute(() -> result.complete(value));
  }

  /** Fails {@code result} with {@code error} on {@code executor}. */
  public static void fail(Executor executor, CompletableFuture<?> result, Throwable error) {
    executor.execute(() -> result.completeExceptionally(error));
  }
}
