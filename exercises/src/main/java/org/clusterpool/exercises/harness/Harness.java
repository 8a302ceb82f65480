package org.clusterpool.exercises.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clusterpool.exercises.report.Figures;

/**
 * Runs one implementation under one workload and measures it, within a time limit, whatever the
 * solution does: it finishes, it deadlocks (a lock cycle, found within {@link #POLL_MILLIS} by the
 * JVM's detector), it never returns (timed out), or it throws. Nothing here waits without a bound;
 * the client threads of a stuck run are interrupted, and are daemon threads if they cannot be.
 */
public final class Harness {
  private Harness() {}

  /** How often the watchdog looks at the clients: the delay before a deadlock is reported. */
  static final long POLL_MILLIS = 20;

  /** How long stopped clients get to end once interrupted. */
  private static final Duration STOP_BUDGET = Duration.ofSeconds(2);

  /**
   * No progress for this long (or a quarter of the time limit, if less) before the limit: the run
   * is stuck, not slow.
   */
  private static final Duration MAX_STALL = Duration.ofSeconds(1);

  /**
   * How long a solution gets at most to release what it holds (an actor system terminating); less
   * when the run's own limit is less.
   */
  private static final Duration CLOSE_LIMIT = Duration.ofSeconds(10);

  public static <S, R> Measurement measure(
      Implementation<S> implementation, Workload<S, R> workload, Duration limit) {
    return new Run<>(implementation, workload, limit).measure();
  }

  private static final class Run<S, R> {
    private final Implementation<S> implementation;
    private final Workload<S, R> workload;
    private final Duration limit;
    private final List<String> notes = new ArrayList<>();

    Run(Implementation<S> implementation, Workload<S, R> workload, Duration limit) {
      this.implementation = implementation;
      this.workload = workload;
      this.limit = limit;
    }

    /** How the run ended, before the solution is closed (closing may add notes). */
    private record Ended(Outcome outcome, Verdict verdict, long wallNanos) {}

    Measurement measure() {
      Deadlocks deadlocks = Deadlocks.baseline();
      // a constructor is a solution's code too: it may loop or wait for ever, or throw
      Bounded.Attempt<S> created =
          Bounded.call(implementation.name() + "-create", limit, implementation::create);
      if (!created.succeeded()) return row(notFinished(failedStep(created, 0, "the constructor")));
      S solution = created.value();
      Ended ended;
      Bounded.Attempt<Object> closed = null;
      try {
        ended = measure(solution, deadlocks);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ended =
            notFinished(Outcome.timedOut(0, workload.unit(), "the harness was interrupted", true));
      } finally {
        closed = close(solution);
      }
      // a close() that never returns leaves what the solution holds (threads, an actor system)
      // running for good: the run did not finish, however right its result
      if (closed != null && closed.timedOut() && ended.outcome().finished()) {
        ended = notFinished(failedStep(closed, ended.outcome().operations(), "close()"));
      } else if (closed != null && closed.timedOut()) {
        notes.add("close() did not return within " + Figures.duration(closeLimit().toNanos()));
      }
      return row(ended);
    }

    private Ended measure(S solution, Deadlocks deadlocks) throws InterruptedException {
      Bounded.Attempt<Object> opened =
          Bounded.call(
              implementation.name() + "-open",
              limit,
              () -> {
                workload.open(solution);
                return null;
              });
      if (!opened.succeeded()) return notFinished(failedStep(opened, 0, "open"));

      ClientThreads<S> clients = new ClientThreads<>(workload, solution);
      long start = 0;
      long deadline = 0;
      Outcome stopped = null;
      boolean allFinished = false;
      try {
        if (!clients.start(limit)) {
          stopped = Outcome.timedOut(0, workload.unit(), "the client threads did not start", true);
        } else {
          start = System.nanoTime();
          deadline = start + limit.toNanos();
          clients.go();
          stopped = watch(clients, deadlocks, deadline);
          allFinished = stopped == null;
        }
      } finally {
        // whatever ended the watch (a deadlock, the limit, a throw, the harness interrupted), no
        // client runs on
        if (!allFinished) stop(clients);
      }
      if (stopped != null) return notFinished(stopped);

      long left = Math.max(deadline - System.nanoTime(), Duration.ofMillis(1).toNanos());
      Bounded.Attempt<R> finished =
          Bounded.call(
              implementation.name() + "-finish",
              Duration.ofNanos(left),
              () -> workload.finish(solution));
      long wall = System.nanoTime() - start;
      if (!finished.succeeded())
        return notFinished(failedStep(finished, clients.operations(), "reading the result"));
      if (solution instanceof Remarks remarks) collect(remarks);
      Outcome outcome = Outcome.finished(clients.operations(), workload.unit());
      Verdict verdict;
      try {
        verdict = workload.check(finished.value());
      } catch (RuntimeException e) {
        // a student's result can be malformed (null, wrong length): that is a wrong answer, not a
        // crash
        verdict = Verdict.broken(0, "cannot check the result: " + Outcome.describe(e));
      }
      return new Ended(outcome, verdict, wall);
    }

    /**
     * Waits for the clients in short slices, looking for a failure, a new lock cycle, or the
     * deadline; it also notes when the operations last moved, to tell a stuck run from a slow one
     * at the deadline.
     */
    private Outcome watch(ClientThreads<S> clients, Deadlocks deadlocks, long deadline)
        throws InterruptedException {
      long stallNanos = Math.min(MAX_STALL.toNanos(), limit.toNanos() / 4);
      long seen = -1;
      long lastMove = System.nanoTime();
      while (true) {
        boolean done = clients.awaitFinished(POLL_MILLIS);
        long now = System.nanoTime();
        long operations = clients.operations();
        if (operations != seen) {
          seen = operations;
          lastMove = now;
        }
        Throwable failure = clients.failure();
        if (failure != null) return Outcome.threw(operations, workload.unit(), failure);
        if (done) return null;
        Optional<Deadlocks.Cycle> cycle = deadlocks.newCycle();
        if (cycle.isPresent()) {
          return Outcome.deadlocked(
              operations, workload.unit(), cycle.get().description(), cycle.get().threads());
        }
        if (now - deadline > 0) {
          long quiet = now - lastMove;
          if (quiet >= stallNanos) {
            boolean running = clients.stillRunning();
            return Outcome.timedOut(
                operations,
                workload.unit(),
                "no progress for " + Figures.duration(quiet) + "; " + clients.whatTheyAreDoing(),
                true,
                running);
          }
          return Outcome.timedOut(
              operations,
              workload.unit(),
              "still progressing when the time limit of "
                  + Figures.duration(limit.toNanos())
                  + " came",
              false);
        }
      }
    }

    private Outcome failedStep(Bounded.Attempt<?> attempt, long operations, String step) {
      if (attempt.timedOut()) {
        Duration within = step.equals("close()") ? closeLimit() : limit;
        return Outcome.timedOut(
            operations,
            workload.unit(),
            step
                + " did not return within "
                + Figures.duration(within.toNanos())
                + (attempt.where().isEmpty() ? "" : "; " + attempt.where()),
            true,
            attempt.running());
      }
      return Outcome.threw(operations, workload.unit(), attempt.error());
    }

    private static Ended notFinished(Outcome outcome) {
      return new Ended(outcome, Verdict.notChecked(whyNotChecked(outcome)), 0);
    }

    private Measurement row(Ended ended) {
      return new Measurement(
          implementation.name(),
          implementation.reference(),
          ended.outcome(),
          ended.verdict(),
          ended.wallNanos(),
          notes);
    }

    private static String whyNotChecked(Outcome outcome) {
      return switch (outcome.kind()) {
        case DEADLOCKED -> "never finishes: threads wait for each other's locks";
        case TIMED_OUT ->
            outcome.stalled()
                ? "stuck: no progress, no lock cycle"
                : "too slow: still running at the time limit";
        case THREW -> "threw " + outcome.detail();
        case FINISHED -> "";
      };
    }

    private void stop(ClientThreads<S> clients) throws InterruptedException {
      List<String> stuck = clients.stop(STOP_BUDGET);
      if (!stuck.isEmpty()) {
        notes.add(
            String.join(", ", stuck)
                + " could not be interrupted and stay blocked"
                + " (daemon threads: they do not keep the JVM alive)");
      }
    }

    private void collect(Remarks remarks) {
      Bounded.Attempt<List<String>> said =
          Bounded.call(implementation.name() + "-remarks", CLOSE_LIMIT, remarks::remarks);
      if (said.succeeded() && said.value() != null) notes.addAll(said.value());
    }

    /** As long as a run may take, at most {@link #CLOSE_LIMIT}. */
    private Duration closeLimit() {
      return limit.compareTo(CLOSE_LIMIT) < 0 ? limit : CLOSE_LIMIT;
    }

    /** Closes the solution, if it is closeable, within {@link #closeLimit}; null if it is not. */
    private Bounded.Attempt<Object> close(S solution) {
      if (!(solution instanceof AutoCloseable closeable)) return null;
      Bounded.Attempt<Object> closed =
          Bounded.call(
              implementation.name() + "-close",
              closeLimit(),
              () -> {
                closeable.close();
                return null;
              });
      if (closed.error() != null) notes.add("close() threw " + Outcome.describe(closed.error()));
      return closed;
    }
  }
}
