package org.clusterpool.node.task.builtin;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.clusterpool.node.handle.Futures;
import org.clusterpool.node.task.TaskContext;

/**
 * An async task's loop, like {@code while True: await step()}: the step runs again each time its
 * stage completes with true, until it completes with false, fails, or the task's job is cancelled.
 * A step already complete is followed in a loop, one still running by a callback on the thread that
 * completes it (a dispatcher or timer thread: the steps only send messages, they never block): the
 * stack does not grow.
 */
final class AsyncLoop {
  private AsyncLoop() {}

  static CompletableFuture<Void> run(TaskContext context, Supplier<CompletionStage<Boolean>> step) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    next(context, step, done);
    return done;
  }

  private static void next(
      TaskContext context, Supplier<CompletionStage<Boolean>> step, CompletableFuture<Void> done) {
    while (true) {
      if (context.isCancelled()) {
        done.completeExceptionally(new CancellationException("the job was cancelled"));
        return;
      }
      CompletableFuture<Boolean> stage;
      try {
        stage = step.get().toCompletableFuture();
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
        return;
      }
      if (!stage.isDone()) {
        // the next step runs on the thread that completes this one: a dispatcher thread, with a
        // fresh stack
        stage.whenComplete(
            (goOn, error) -> {
              if (error != null) done.completeExceptionally(Futures.cause(error));
              else if (goOn) next(context, step, done);
              else done.complete(null);
            });
        return;
      }
      try {
        if (!stage.join()) {
          done.complete(null);
          return;
        }
      } catch (CompletionException | CancellationException e) {
        done.completeExceptionally(Futures.cause(e));
        return;
      }
    }
  }

  /**
   * For a step's {@code exceptionally}: a failure of type {@code end} is the loop's normal end
   * (EOF, a closed queue), so the step answers false after {@code atEnd}; any other failure goes on
   * as the step's failure.
   */
  static Function<Throwable, Boolean> endsAt(Class<? extends Throwable> end, Runnable atEnd) {
    return error -> {
      Throwable cause = Futures.cause(error);
      if (!end.isInstance(cause)) throw new CompletionException(cause);
      atEnd.run();
      return false;
    };
  }
}
