package org.clusterpool.exercises.harness;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A workload written as a script, to test the harness itself: each call runs {@code step}; the
 * result is what {@code finish} returns; the check expects it to equal the calls made.
 */
final class ScriptedWorkload implements Workload<ScriptedWorkload.Solution, Long> {

  /** What a test solution is: something the harness must close whatever happens. */
  static class Solution implements AutoCloseable {
    final AtomicLong calls = new AtomicLong();
    volatile boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  interface Step {
    void run(int client, long call) throws Exception;
  }

  private final int clients;
  private final long callsPerClient;
  private final Step step;
  private final Callable<Long> finish;

  ScriptedWorkload(int clients, long callsPerClient, Step step, Callable<Long> finish) {
    this.clients = clients;
    this.callsPerClient = callsPerClient;
    this.step = step;
    this.finish = finish;
  }

  /** Every call counts itself; the result is the count. */
  static ScriptedWorkload counting(int clients, long callsPerClient, Step step, Solution solution) {
    return new ScriptedWorkload(clients, callsPerClient, step, solution.calls::get);
  }

  @Override
  public String unit() {
    return "calls";
  }

  @Override
  public long operations() {
    return clients * callsPerClient;
  }

  @Override
  public int clients() {
    return clients;
  }

  @Override
  public String clientName(int client) {
    return "client-" + client;
  }

  @Override
  public long calls(int client) {
    return callsPerClient;
  }

  @Override
  public void open(Solution solution) {}

  @Override
  public long operate(Solution solution, int client, long call) throws Exception {
    step.run(client, call);
    solution.calls.incrementAndGet();
    return 1;
  }

  @Override
  public Long finish(Solution solution) throws Exception {
    return finish.call();
  }

  @Override
  public Verdict check(Long result) {
    if (result == null) throw new IllegalStateException("no result");
    return result == operations()
        ? Verdict.holds("all " + result + " calls made")
        : Verdict.broken(
            operations() - result, "made " + result + " of " + operations() + " calls");
  }
}
