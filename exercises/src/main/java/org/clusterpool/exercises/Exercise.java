package org.clusterpool.exercises;

import java.util.List;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.harness.Workload;

/**
 * One problem, solved with shared state and locks and with actors exchanging messages: the
 * interface a solution implements, the reference solutions, and the workload that runs, checks and
 * times each of them.
 *
 * @param <S> the interface a solution implements (a student's too)
 * @param <P> the problem's size: threads, operations, accounts...
 */
public interface Exercise<S, P> {

  /** The name users type: {@code counter}, {@code bank}. */
  String name();

  /** One line: the problem and what it compares. */
  String summary();

  Class<S> solutionType();

  /** The reference solutions, in the order the table shows them. */
  List<Implementation<S>> references();

  /** A fresh workload for one run of one implementation. */
  Workload<S, ?> workload(P parameters);

  /**
   * A smaller problem, run once before the measured run so that the JIT has compiled the code it
   * measures.
   */
  P warmUp(P parameters);

  /** The heading above the table: the problem's size and what one operation is. */
  String describe(P parameters);

  /** What these numbers show, beyond the general findings: computed from them, never canned. */
  List<String> findings(P parameters, List<Measurement> measurements);
}
