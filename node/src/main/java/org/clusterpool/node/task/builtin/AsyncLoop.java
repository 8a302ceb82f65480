package org.clusterpool.node.task.builtin;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.clusterpool.node.task.TaskContext;

/**
 * An async task's loop, like {@code while True: await step()}: the step runs again each time its stage completes
 * with true, on the actor system's dispatcher (never nested in the previous step, so the stack does not grow),
 * until it completes with false, fails, or the task's job is cancelled.
 */
final class AsyncLoop {
  private AsyncLoop() {}

  static CompletableFuture<Void> run(TaskContext context, Supplier<CompletionStage<Boolean>> step) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    next(context, context.system().executionContext(), step, done);
    return done;
  }

  private static void next(TaskContext context, Executor executor, Supplier<CompletionStage<Boolean>> step, CompletableFuture<Void> done) {
    if (context.isCancelled()) {
      done.completeExceptionally(new CancellationException("the job was cancelled"));
      return;
    }
    CompletionStage<Boolean> stage;
    try {
      stage = step.get();
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
      return;
    }
    stage.whenCompleteAsync((goOn, error) -> {
      if (error != null) done.completeExceptionally(unwrap(error));
      else if (goOn) next(context, executor, step, done);
      else done.complete(null);
    }, executor);
  }

  /** The failure itself, not the wrapper that stages put around it. */
  static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
