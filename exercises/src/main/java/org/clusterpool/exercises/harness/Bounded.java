package org.clusterpool.exercises.harness;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls a solution's code on a daemon thread of its own and waits for it at most a given time, so
 * that a solution that never returns cannot hang the harness, and cannot keep the JVM alive either.
 */
final class Bounded {
  private Bounded() {}

  /**
   * What came of the call: a value, an error, or nothing in time; then {@code where} says what its
   * thread was doing ({@code RUNNABLE in Spin.total}) and {@code running} whether it was running (a
   * loop that never ends) rather than waiting.
   */
  record Attempt<T>(T value, Throwable error, boolean timedOut, String where, boolean running) {
    Attempt(T value, Throwable error, boolean timedOut) {
      this(value, error, timedOut, "", false);
    }

    boolean succeeded() {
      return error == null && !timedOut;
    }
  }

  static <T> Attempt<T> call(String threadName, Duration limit, Callable<T> body) {
    FutureTask<T> task = new FutureTask<>(body);
    Thread thread = new Thread(task, threadName);
    thread.setDaemon(true);
    thread.start();
    try {
      return new Attempt<>(
          task.get(Math.max(1, limit.toNanos()), TimeUnit.NANOSECONDS), null, false);
    } catch (ExecutionException e) {
      return new Attempt<>(null, e.getCause() == null ? e : e.getCause(), false);
    } catch (TimeoutException e) {
      Thread.State state = thread.getState();
      String where = ClientThreads.where(thread);
      thread.interrupt();
      return new Attempt<>(null, null, true, where, state == Thread.State.RUNNABLE);
    } catch (InterruptedException e) {
      // the harness itself is being stopped: stop the call too, and let the caller see the
      // interrupt
      thread.interrupt();
      Thread.currentThread().interrupt();
      return new Attempt<>(null, null, true);
    }
  }
}
