package org.clusterpool.coordinator.pool;

/**
 * A call that finished, as {@code asCompleted} yields it: its position among the calls, its value
 * or its error, and the worker that ran it.
 */
public record Completed<O>(Call<O> call, int position, O value, Throwable error, String worker) {

  public boolean failed() {
    return error != null;
  }

  /** The value, or the call's error thrown. */
  public O get() {
    if (error instanceof RuntimeException r) throw r;
    if (error != null) throw new IllegalStateException(error.getMessage(), error);
    return value;
  }
}
