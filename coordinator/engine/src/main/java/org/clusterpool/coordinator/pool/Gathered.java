package org.clusterpool.coordinator.pool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The results of a gather, in the order the calls were given, whatever order they finished in. With
 * {@code gatherReturningExceptions}, a failed call's place holds its exception, as in asyncio.
 */
public final class Gathered {
  private final List<Call<?>> calls;
  private final List<Object> values;
  private final List<Throwable> errors;
  private final List<String> workers;

  Gathered(List<Call<?>> calls, List<Object> values, List<Throwable> errors, List<String> workers) {
    this.calls = List.copyOf(calls);
    this.values = Collections.unmodifiableList(new ArrayList<>(values));
    this.errors = Collections.unmodifiableList(new ArrayList<>(errors));
    this.workers = List.copyOf(workers);
  }

  /**
   * The value of the call (its first position, if it was given twice); throws the call's error if
   * it failed.
   */
  @SuppressWarnings("unchecked")
  public <O> O get(Call<O> call) {
    return (O) get(position(call));
  }

  /** The value at this position; throws the error of the call at this position if it failed. */
  public Object get(int position) {
    Throwable error = errors.get(position);
    if (error instanceof RuntimeException r) throw r;
    if (error != null) throw new IllegalStateException(error.getMessage(), error);
    return values.get(position);
  }

  /**
   * Each call's value or, for a failed call, its exception: Python's {@code gather(...,
   * return_exceptions=True)}.
   */
  public List<Object> values() {
    List<Object> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++)
      out.add(errors.get(i) != null ? errors.get(i) : values.get(i));
    return Collections.unmodifiableList(out);
  }

  public Throwable error(int position) {
    return errors.get(position);
  }

  /** The worker that ran the call at this position ({@code worker-2@pekko://...}). */
  public String worker(int position) {
    return workers.get(position);
  }

  public List<Call<?>> calls() {
    return calls;
  }

  public int size() {
    return calls.size();
  }

  private int position(Call<?> call) {
    for (int i = 0; i < calls.size(); i++) if (calls.get(i) == call) return i;
    throw new IllegalArgumentException(call + " was not one of the gathered calls");
  }
}
