package org.clusterpool.coordinator.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.clusterpool.coordinator.pool.Call;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Gathered;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.coordinator.pool.JobListener;
import org.clusterpool.coordinator.pool.ResultIterator;
import org.clusterpool.coordinator.pool.TaskFailedException;
import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.task.builtin.WhoAmI;

/**
 * The jobs a soak runs, each checked input by input against what the same task computes in this
 * JVM: every input must come back once, with its right value or its expected error. Each kind
 * stresses another path: ordered maps of cpu work, unordered streams, gathers of async calls,
 * inputs that fail, outputs of text and records.
 */
final class SoakJobs {
  private SoakJobs() {}

  /**
   * What one job showed. {@code ended}: it ended (with its results or an error) within its bound.
   */
  record Outcome(
      String kind,
      long checked,
      long lost,
      long duplicated,
      long wrong,
      String unexpected,
      boolean ended) {}

  enum Kind {
    MAP("map"),
    IMAP_UNORDERED("imap_unordered"),
    GATHER("gather"),
    FAILING("failing inputs"),
    TEXT("text outputs"),
    RECORDS("record outputs");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  static Outcome run(Kind kind, ClusterPool pool, Random random, Duration bound) {
    Outcome outcome = attempt(kind, pool, random, bound);
    if (!outcome.ended()) { // say what the coordinator holds, for whoever looks into it
      String seen;
      try {
        seen = String.valueOf(pool.status(Duration.ofSeconds(10)));
      } catch (RuntimeException e) {
        seen = "no status: " + e;
      }
      return new Outcome(
          kind.label,
          outcome.checked(),
          outcome.lost(),
          outcome.duplicated(),
          outcome.wrong(),
          "did not end in " + bound.toSeconds() + " s; the coordinator's status then: " + seen,
          false);
    }
    return outcome;
  }

  private static Outcome attempt(Kind kind, ClusterPool pool, Random random, Duration bound) {
    try {
      return switch (kind) {
        case MAP -> map(pool, random, bound);
        case IMAP_UNORDERED -> unordered(pool, random, bound);
        case GATHER -> gather(pool, random, bound);
        case FAILING -> failing(pool, random, bound);
        case TEXT -> text(pool, random, bound);
        case RECORDS -> records(pool, random, bound);
      };
    } catch (TimeoutException e) {
      return new Outcome(kind.label, 0, 0, 0, 0, null, false);
    } catch (Exception e) {
      return new Outcome(kind.label, 0, 0, 0, 0, e.toString(), true);
    }
  }

  /** count-primes in input order: cpu work whose cost grows along the input. */
  private static Outcome map(ClusterPool pool, Random random, Duration bound) throws Exception {
    int n = 2_000 + random.nextInt(20_000);
    List<Long> out =
        mapAsync(pool, BuiltinTasks.COUNT_PRIMES, Inputs.range(1, n), chunksize(random, 200))
            .toCompletableFuture()
            .get(bound.toMillis(), TimeUnit.MILLISECONDS);
    long wrong = 0;
    for (int i = 0; i < n; i++) if (out.get(i) != local(BuiltinTasks.COUNT_PRIMES, i + 1)) wrong++;
    return new Outcome(Kind.MAP.label, out.size(), n - out.size(), 0, wrong, null, true);
  }

  /**
   * Listed, shuffled inputs in completion order: each result names its input (a square), so a lost
   * or doubled one shows.
   */
  private static Outcome unordered(ClusterPool pool, Random random, Duration bound)
      throws Exception {
    int n = 20_000 + random.nextInt(200_000);
    List<Long> inputs = new ArrayList<>(n);
    for (long i = 1; i <= n; i++) inputs.add(i * 1_000 + random.nextInt(1000));
    Collections.shuffle(inputs, random);
    Map<Long, Integer> seen = new HashMap<>();
    long deadline = System.nanoTime() + bound.toNanos();
    try (ResultIterator<Long> results =
        pool.stream(
            BuiltinTasks.SQUARE, inputs, chunksize(random, 5000), false, JobListener.NONE)) {
      CompletableFuture<Void> drained =
          CompletableFuture.runAsync(
              () -> results.forEachRemaining(v -> seen.merge(v, 1, Integer::sum)));
      drained.get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
    }
    long lost = 0;
    long duplicated = 0;
    for (long x : inputs) {
      Integer times = seen.get(x * x);
      if (times == null) lost++;
      else if (times > 1) duplicated += times - 1;
    }
    long stray = seen.size() - (n - lost);
    return new Outcome(Kind.IMAP_UNORDERED.label, n, lost, duplicated, stray, null, true);
  }

  /**
   * Sleeps that hold no thread, with failing calls among them: each call's value or its own error,
   * in argument order.
   */
  private static Outcome gather(ClusterPool pool, Random random, Duration bound) throws Exception {
    int n = 200 + random.nextInt(3_000);
    List<Call<?>> calls = new ArrayList<>(n);
    List<Object> inputs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Object input = i % 97 == 13 ? "call " + i : (Object) (random.nextInt(300) / 1000.0);
      inputs.add(input);
      calls.add(
          input instanceof String text
              ? Call.of(BuiltinTasks.FAIL, text)
              : Call.of(BuiltinTasks.SLEEP, (Double) input));
    }
    Gathered done =
        pool.gatherReturningExceptions(calls.toArray(new Call<?>[0]))
            .toCompletableFuture()
            .get(bound.toMillis(), TimeUnit.MILLISECONDS);
    List<Object> values = done.values();
    long wrong = 0;
    String unexpected = null;
    for (int i = 0; i < n; i++) {
      Object v = values.get(i);
      Object expected = inputs.get(i);
      if (v instanceof Throwable error && !(v instanceof TaskFailedException)) {
        if (unexpected == null)
          unexpected = "call " + i + ": " + error; // the call could not run: not a wrong value
      } else if (expected instanceof String message) {
        if (!(v instanceof TaskFailedException e && e.remoteError().message().equals(message)))
          wrong++;
      } else if (!expected.equals(v)) {
        wrong++;
      }
    }
    return new Outcome(
        Kind.GATHER.label, values.size(), n - values.size(), 0, wrong, unexpected, true);
  }

  /**
   * Squares with inputs that overflow among them, in order: each input gives its value or its own
   * error, once.
   */
  private static Outcome failing(ClusterPool pool, Random random, Duration bound) throws Exception {
    int n = 5_000 + random.nextInt(50_000);
    List<Long> inputs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) inputs.add(random.nextInt(50) == 0 ? 3_037_000_500L + i : (long) i);
    long wrong = 0;
    long checked = 0;
    long deadline = System.nanoTime() + bound.toNanos();
    try (ResultIterator<Long> results =
        pool.stream(BuiltinTasks.SQUARE, inputs, chunksize(random, 500), true, JobListener.NONE)) {
      for (int i = 0; i < n; i++) {
        if (System.nanoTime() > deadline) throw new TimeoutException();
        long x = inputs.get(i);
        boolean overflows = x > 3_037_000_499L;
        try {
          long v = results.next();
          if (overflows || v != x * x) wrong++;
        } catch (TaskFailedException e) {
          if (!overflows || e.position() != i) wrong++;
        }
        checked++;
      }
      if (results.hasNext()) wrong++;
    }
    return new Outcome(Kind.FAILING.label, checked, n - checked, 0, wrong, null, true);
  }

  /** Text outputs: SHA-256 digests, checked against this JVM's. */
  private static Outcome text(ClusterPool pool, Random random, Duration bound) throws Exception {
    int n = 2_000 + random.nextInt(20_000);
    List<String> out =
        pool.mapAsync(BuiltinTasks.SHA256, Inputs.range(1, n))
            .toCompletableFuture()
            .get(bound.toMillis(), TimeUnit.MILLISECONDS);
    long wrong = 0;
    for (int i = 0; i < n; i++)
      if (!out.get(i).equals(BuiltinTasks.SHA256.apply((long) i + 1, LocalContext.INSTANCE)))
        wrong++;
    return new Outcome(Kind.TEXT.label, out.size(), n - out.size(), 0, wrong, null, true);
  }

  /** Records: which worker ran each input; each names its own input. */
  private static Outcome records(ClusterPool pool, Random random, Duration bound) throws Exception {
    int n = 1_000 + random.nextInt(20_000);
    List<WhoAmI.Answer> out =
        mapAsync(pool, BuiltinTasks.WHOAMI, Inputs.range(1, n), chunksize(random, 100))
            .toCompletableFuture()
            .get(bound.toMillis(), TimeUnit.MILLISECONDS);
    long wrong = 0;
    for (int i = 0; i < n; i++) if (out.get(i).input() != i + 1) wrong++;
    return new Outcome(Kind.RECORDS.label, out.size(), n - out.size(), 0, wrong, null, true);
  }

  private static long local(LongTask task, long x) {
    try {
      return task.applyAsLong(x, LocalContext.INSTANCE);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Half the jobs leave the chunk size to the pool ({@link ClusterPool#stream}'s 0), half give one
   * up to {@code most}.
   */
  private static int chunksize(Random random, int most) {
    return random.nextBoolean() ? 0 : 1 + random.nextInt(most);
  }

  private static <I, O> CompletionStage<List<O>> mapAsync(
      ClusterPool pool, Task<I, O> task, List<I> inputs, int chunksize) {
    return chunksize == 0 ? pool.mapAsync(task, inputs) : pool.mapAsync(task, inputs, chunksize);
  }
}
