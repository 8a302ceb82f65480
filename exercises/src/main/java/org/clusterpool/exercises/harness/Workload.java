package org.clusterpool.exercises.harness;

/**
 * One exercise's load on one solution, for one run: which client threads call the solution and how
 * often, what one call does, and how the final state is read and checked. The harness owns the
 * threads, counts the operations and watches the time; the workload knows the problem.
 *
 * <p>Client {@code c} is the only thread that calls {@link #operate} and {@link #clientFinished}
 * with {@code c}, so a workload may keep per-client records in plain arrays without a lock.
 *
 * @param <S> the exercise's interface, what a solution implements
 * @param <R> the final state read from the solution, what the checker looks at
 */
public interface Workload<S, R> {

  /** What one operation is, plural: {@code increments}, {@code transfers}. */
  String unit();

  /** Operations in all, when every client has made all its calls. */
  long operations();

  int clients();

  /**
   * The client's thread name, as deadlock reports show it: {@code worker-0}, {@code philosopher-3}.
   */
  String clientName(int client);

  /** How many times {@code client} calls {@link #operate}. */
  long calls(int client);

  /** Prepares the solution (accounts, capacity...) before any client starts. */
  void open(S solution) throws Exception;

  /**
   * Client {@code client}'s call number {@code call} (from 0); returns the operations it completed.
   */
  long operate(S solution, int client, long call) throws Exception;

  /** Client {@code client} made its last call; runs on its thread. */
  default void clientFinished(S solution, int client) throws Exception {}

  /**
   * Reads the final state, once every client finished; part of the timed run (an actor may still be
   * busy).
   */
  R finish(S solution) throws Exception;

  /** The invariant, checked on the final state: not timed. */
  Verdict check(R result);
}
