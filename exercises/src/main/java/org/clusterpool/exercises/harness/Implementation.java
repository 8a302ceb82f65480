package org.clusterpool.exercises.harness;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One solution of an exercise as the table shows it: a name, one line on how it works, and a way to
 * make a fresh instance for each run (a run never reuses the state of another).
 *
 * @param reference true for the solutions that ship with clusterpool, false for a student's
 */
public record Implementation<S>(
    String name, String summary, Supplier<? extends S> factory, boolean reference) {

  public Implementation {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(factory, "factory");
  }

  public static <S> Implementation<S> reference(
      String name, String summary, Supplier<? extends S> factory) {
    return new Implementation<>(name, summary, factory, true);
  }

  public static <S> Implementation<S> student(
      String name, String summary, Supplier<? extends S> factory) {
    return new Implementation<>(name, summary, factory, false);
  }

  /** A new instance, with nothing started yet: the workload opens it. */
  public S create() {
    return factory.get();
  }
}
