package org.clusterpool.exercises.counter;

import org.clusterpool.exercises.harness.Verdict;
import org.clusterpool.exercises.harness.Workload;
import org.clusterpool.exercises.report.Figures;

/**
 * Each worker thread increments its share, then says it finished; the total must equal the
 * increments made.
 */
final class CounterWorkload implements Workload<Counter, Long> {
  private final CounterParameters parameters;

  CounterWorkload(CounterParameters parameters) {
    this.parameters = parameters;
  }

  @Override
  public String unit() {
    return "increments";
  }

  @Override
  public long operations() {
    return parameters.increments();
  }

  @Override
  public int clients() {
    return parameters.threads();
  }

  @Override
  public String clientName(int client) {
    return "worker-" + client;
  }

  @Override
  public long calls(int client) {
    return parameters.share(client);
  }

  @Override
  public void open(Counter counter) {
    counter.open(parameters.threads());
  }

  @Override
  public long operate(Counter counter, int client, long call) {
    counter.increment(client);
    return 1;
  }

  @Override
  public void clientFinished(Counter counter, int client) {
    counter.finished(client);
  }

  @Override
  public Long finish(Counter counter) throws InterruptedException {
    return counter.total();
  }

  @Override
  public Verdict check(Long total) {
    return check(total, parameters.increments());
  }

  /** The count against the increments made: updates lost, or counted twice. */
  static Verdict check(long total, long expected) {
    if (total == expected) return Verdict.holds("count = " + Figures.count(total));
    if (total < 0) {
      // no number of lost updates makes a count negative, and expected - total could overflow
      return Verdict.broken(
          total < expected - Long.MAX_VALUE ? Long.MAX_VALUE : expected - total,
          "counted "
              + Figures.count(total)
              + " of "
              + Figures.count(expected)
              + ": a count can never be negative");
    }
    if (total < expected) {
      long lost = expected - total;
      return Verdict.broken(
          lost,
          "lost "
              + Figures.count(lost, "updates")
              + ": counted "
              + Figures.count(total)
              + " of "
              + Figures.count(expected));
    }
    long extra = total - expected;
    return Verdict.broken(
        extra,
        "counted "
            + Figures.count(total)
            + " of "
            + Figures.count(expected)
            + ": "
            + Figures.count(extra)
            + " too many");
  }
}
