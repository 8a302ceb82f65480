package org.clusterpool.coordinator.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * The same cpu-bound inputs ({@code fib}, the built-in task, so every way runs the same code) done
 * five ways: one thread; K threads under a {@link SimulatedGil}; K free threads; K worker JVMs
 * through the pool; and one event loop (a single thread running them as tasks, as asyncio would).
 * Each way's results are checked against one thread's.
 *
 * <p>The numbers must be worth showing a class, so the fixed costs are measured first and kept
 * small: one input's cost on a warm thread and one job's round trip to the worker JVMs size the
 * work ({@link CpuWorkload}); the worker JVMs then run that same work, unmeasured, until their
 * just-in-time compilers have settled; only then do the rounds run, every way in turn, each way's
 * best round kept. The machine is watched meanwhile ({@link Quietness}), so that a busy one is told
 * from a slow way of computing.
 */
final class CpuComparison {
  private CpuComparison() {}

  /**
   * fib(30): a few milliseconds an input, so the work divides into hundreds of inputs that share
   * out evenly.
   */
  static final long N = 30;

  /** How much measuring to do: the full demo, or {@code --quick}. */
  record Effort(int rounds, CpuWorkload.Bounds bounds, Duration warmUpBudget, int minWarmUpRounds) {
    static final Effort FULL =
        new Effort(3, new CpuWorkload.Bounds(1.0, 2.5), Duration.ofSeconds(8), 3);
    static final Effort QUICK =
        new Effort(2, new CpuWorkload.Bounds(0.8, 2.0), Duration.ofSeconds(4), 2);

    static Effort of(boolean quick) {
      return quick ? QUICK : FULL;
    }
  }

  /**
   * The costs that are not the work: a job's round trip to the worker JVMs (the first one, cold,
   * and the median of a few once they are warm), and the worker JVMs' rounds on the work before the
   * clock ran, the first of which paid for their just-in-time compilers.
   */
  record FixedCosts(double firstRoundTrip, double roundTrip, List<Double> warmUpRounds) {
    FixedCosts {
      warmUpRounds = List.copyOf(warmUpRounds);
    }

    double coldRound() {
      return warmUpRounds.get(0);
    }

    double warmRound() {
      return Collections.min(warmUpRounds);
    }

    /**
     * What the first round on the worker JVMs cost beyond a warm one: their JIT at work, paid
     * before the clock.
     */
    double jitWarmUp() {
      return Math.max(0, coldRound() - warmRound());
    }
  }

  record Result(
      CpuWorkload workload,
      FixedCosts fixed,
      Repeats oneThread,
      Repeats gilThreads,
      Repeats freeThreads,
      Repeats workerJvms,
      Repeats oneLoop,
      Quietness quietness) {

    String describe() {
      return workload.describe()
          + ", best of "
          + oneThread.rounds()
          + " round"
          + (oneThread.rounds() == 1 ? "" : "s");
    }

    /** The fixed costs, in words, for the output. */
    List<String> fixedCostLines() {
      List<String> lines = new ArrayList<>();
      lines.add(
          String.format(
              Locale.ROOT,
              "    a round trip to the worker JVMs: %s once warm (the first: %s), %s of the work"
                  + " (sized to %.2f s on one thread)",
              millis(fixed.roundTrip()),
              millis(fixed.firstRoundTrip()),
              percent(fixed.roundTrip() / workload.oneThreadSeconds()),
              workload.oneThreadSeconds()));
      lines.add(
          String.format(
              Locale.ROOT,
              "    the worker JVMs' JIT warm-up: %.2f s, before the clock (%d unmeasured rounds:"
                  + " the first %.2f s, the best %.2f s)",
              fixed.jitWarmUp(),
              fixed.warmUpRounds().size(),
              fixed.coldRound(),
              fixed.warmRound()));
      lines.add(
          String.format(
              Locale.ROOT,
              "    one input, fib(%d): %s on a warm thread; %d inputs, so the last one is %s of the"
                  + " work",
              workload.n(),
              millis(workload.perInputSeconds()),
              workload.inputs(),
              percent(1.0 / workload.inputs())));
      if (workload.capped()) {
        lines.add(
            String.format(
                Locale.ROOT,
                "    the work was capped at %.2f s on one thread to keep the demo short: the fixed"
                    + " costs weigh more",
                workload.oneThreadSeconds()));
      }
      return lines;
    }
  }

  /**
   * Measures every way on a pool of {@code jvms} workers; {@code loadAtStart} is the load average
   * before the demo started its JVMs.
   */
  static Result measure(
      int threads,
      int jvms,
      ClusterPool jvmPool,
      boolean withLoop,
      Effort effort,
      double loadAtStart)
      throws Exception {
    LongUnaryOperator fib =
        x -> {
          try {
            return BuiltinTasks.FIB.applyAsLong(x, null);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    double perInput = perInput(fib);
    List<Long> probe = Collections.nCopies(jvms, 1L);
    double firstTrip =
        Timing.of("round trip", () -> jvmPool.map(BuiltinTasks.FIB, probe, 1)).seconds();
    // sized on round trips of JVMs not warm yet: longer than they will be, so the work errs on the
    // long side
    CpuWorkload work =
        CpuWorkload.size(
            N, perInput, roundTrip(jvmPool, probe), Math.max(threads, jvms), effort.bounds());
    List<Long> inputs = Collections.nCopies(work.inputs(), N);
    long expected = fib.applyAsLong(N) * inputs.size();

    List<Double> warmUp = new ArrayList<>();
    long warmUpEnd = System.nanoTime() + effort.warmUpBudget().toNanos();
    do {
      warmUp.add(onJvms(jvmPool, inputs, expected));
    } while (!settled(warmUp, effort.minWarmUpRounds()) && System.nanoTime() < warmUpEnd);
    FixedCosts fixed = new FixedCosts(firstTrip, roundTrip(jvmPool, probe), warmUp);

    SimulatedGil gil = new SimulatedGil();
    Repeats one = null;
    Repeats locked = null;
    Repeats free = null;
    Repeats processes = null;
    Repeats loop = null;
    String lockedName = threads + " threads under one global lock (the GIL)";
    String freeName = threads + " free threads (no GIL, as in Java)";
    String jvmsName = jvms + " worker JVM" + (jvms == 1 ? "" : "s") + " (processes: Pool.map)";
    String loopName = "one event loop (asyncio: tasks on one thread)";
    List<Long> pids = pids(jvmPool);
    MachineLoad.Snapshot before = MachineLoad.now(pids);
    // every way in turn, round after round: a noisy neighbour slows one round, not one way
    for (int round = 0; round < effort.rounds(); round++) {
      AtomicLong check = new AtomicLong();
      one = add(one, "1 thread", Timing.of("", () -> check.set(sum(inputs, fib))));
      verify(expected, check.get(), "one thread");
      locked =
          add(
              locked,
              lockedName,
              Timing.of(
                  "",
                  () ->
                      check.set(
                          onThreads(threads, inputs, x -> gil.compute(() -> fib.applyAsLong(x))))));
      verify(expected, check.get(), "threads under the lock");
      free = add(free, freeName, Timing.of("", () -> check.set(onThreads(threads, inputs, fib))));
      verify(expected, check.get(), "free threads");
      processes = add(processes, jvmsName, new Timing("", onJvms(jvmPool, inputs, expected)));
      if (withLoop) {
        loop = add(loop, loopName, Timing.of("", () -> check.set(onOneLoop(inputs, fib))));
        verify(expected, check.get(), "the event loop");
      }
    }
    MachineLoad.Window window =
        MachineLoad.between(
            before, MachineLoad.now(pids), Runtime.getRuntime().availableProcessors());
    return new Result(
        work,
        fixed,
        one,
        locked,
        free,
        processes,
        loop,
        new Quietness(loadAtStart, window, one.spread()));
  }

  /**
   * Whether the worker JVMs' rounds have stopped getting faster: at least {@code minRounds}, and
   * the last two within {@link CpuWorkload#FIXED_SHARE} of each other.
   */
  static boolean settled(List<Double> rounds, int minRounds) {
    if (rounds.size() < Math.max(2, minRounds)) return false;
    double last = rounds.get(rounds.size() - 1);
    double previous = rounds.get(rounds.size() - 2);
    return Math.abs(last - previous) <= CpuWorkload.FIXED_SHARE * Math.min(last, previous);
  }

  /**
   * The median of a few jobs of one tiny input per worker JVM: what a job costs beyond its work.
   */
  private static double roundTrip(ClusterPool pool, List<Long> probe) throws Exception {
    double[] trips = new double[9];
    for (int i = 0; i < trips.length; i++)
      trips[i] = Timing.of("round trip", () -> pool.map(BuiltinTasks.FIB, probe, 1)).seconds();
    Arrays.sort(trips);
    return trips[trips.length / 2];
  }

  private static Repeats add(Repeats so, String how, Timing round) {
    return so == null ? Repeats.of(how, round.seconds()) : so.plus(round.seconds());
  }

  /**
   * One input's cost on this thread, once the JIT has compiled it: batches of about a twentieth of
   * a second (one input alone is too short to time through the scheduler's noise) until two in a
   * row agree, as the worker JVMs' rounds must ({@link #settled}), within two seconds; the best
   * batch, divided by its inputs.
   */
  private static double perInput(LongUnaryOperator fib) {
    long start = System.nanoTime();
    long sink = 0;
    long calls = 0;
    while (System.nanoTime() - start < Duration.ofMillis(200).toNanos()) {
      sink += fib.applyAsLong(N);
      calls++;
    }
    int batch =
        (int) Math.max(1, calls * 50 / Math.max(1, (System.nanoTime() - start) / 1_000_000));
    long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    List<Double> costs = new ArrayList<>();
    do {
      long begin = System.nanoTime();
      for (int j = 0; j < batch; j++) sink += fib.applyAsLong(N);
      costs.add((System.nanoTime() - begin) / 1e9 / batch);
    } while (!settled(costs, 3) && System.nanoTime() < until);
    if (sink == Long.MIN_VALUE)
      throw new IllegalStateException("unreachable: keeps the JIT from dropping the calls");
    return Collections.min(costs);
  }

  private static double onJvms(ClusterPool pool, List<Long> inputs, long expected) {
    long start = System.nanoTime();
    long sum = pool.map(BuiltinTasks.FIB, inputs).stream().mapToLong(Long::longValue).sum();
    double seconds = (System.nanoTime() - start) / 1e9;
    verify(expected, sum, "worker JVMs");
    return seconds;
  }

  /** This JVM and the worker JVMs: the processes whose cpu time is the demo's own. */
  private static List<Long> pids(ClusterPool pool) {
    Set<Long> pids = new LinkedHashSet<>();
    pids.add(ProcessHandle.current().pid());
    for (ClusterStatus.WorkerStatus worker : pool.status(Duration.ofSeconds(10)).workers())
      pids.add(worker.info().pid());
    return List.copyOf(pids);
  }

  private static long sum(List<Long> inputs, LongUnaryOperator f) {
    long sum = 0;
    for (long x : inputs) sum += f.applyAsLong(x);
    return sum;
  }

  /**
   * {@code threads} threads take the inputs one by one from a shared index, as a thread pool's map
   * does.
   */
  static long onThreads(int threads, List<Long> inputs, LongUnaryOperator f)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicLong sum = new AtomicLong();
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i = next.getAndIncrement(); i < inputs.size(); i = next.getAndIncrement())
                  sum.addAndGet(f.applyAsLong(inputs.get(i)));
              },
              "demo-thread-" + (t + 1));
      thread.start();
      started.add(thread);
    }
    for (Thread thread : started) thread.join();
    return sum.get();
  }

  private static long onOneLoop(List<Long> inputs, LongUnaryOperator f) throws Exception {
    ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "demo-event-loop"));
    try {
      List<Future<Long>> tasks = new ArrayList<>();
      for (long x : inputs) tasks.add(loop.submit(() -> f.applyAsLong(x)));
      long sum = 0;
      for (Future<Long> task : tasks) sum += task.get();
      return sum;
    } finally {
      loop.shutdownNow();
    }
  }

  private static void verify(long expected, long got, String how) {
    if (expected != got)
      throw new IllegalStateException(how + " computed " + got + ", one thread " + expected);
  }

  static String millis(double seconds) {
    return seconds >= 1
        ? String.format(Locale.ROOT, "%.2f s", seconds)
        : String.format(Locale.ROOT, "%.1f ms", seconds * 1000);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, fraction < 0.01 ? "%.2f%%" : "%.1f%%", fraction * 100);
  }
}
