package org.clusterpool.node.handle;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls of one handle that wait for its actor. When the actor stops (detached, closed, its
 * queue gone), every waiting call fails with the reason, and so does every later one: no caller
 * waits for an actor that can no longer answer.
 *
 * <p>A call is added before its message is sent and the reason is set before the waiting calls are
 * failed, so whichever of the two comes second sees the other: a call sent to an actor that just
 * stopped never hangs.
 */
public final class PendingCalls {
  private final Set<CompletableFuture<?>> waiting = ConcurrentHashMap.newKeySet();
  private volatile RuntimeException stopped;

  /** Tracks {@code call} until it completes; fails it at once if the actor has already stopped. */
  public <T> CompletableFuture<T> track(CompletableFuture<T> call) {
    waiting.add(call);
    call.whenComplete((value, error) -> waiting.remove(call));
    RuntimeException reason = stopped;
    if (reason != null) call.completeExceptionally(reason);
    return call;
  }

  /** The actor stopped: fails every waiting call, and every later one, with {@code reason}. */
  public void stop(RuntimeException reason) {
    if (stopped == null) stopped = reason;
    for (CompletableFuture<?> call : waiting) call.completeExceptionally(stopped);
  }

  /** Why the actor stopped, or null while it runs. */
  public RuntimeException stopped() {
    return stopped;
  }
}
