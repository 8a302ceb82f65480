package org.clusterpool.coordinator.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.task.builtin.BuiltinTasks;

/**
 * The same cpu-bound inputs ({@code fib}, the built-in task, so every way runs the same code) done five ways: one
 * thread; K threads under a {@link SimulatedGil}; K free threads; K worker JVMs through the pool; and one event loop
 * (a single thread running them as tasks, as asyncio would). Each way's results are checked against one thread's.
 * The pool chooses its chunk size, as {@code Pool.map} does: one chunk per input would add a round trip per input.
 */
final class CpuComparison {
  private CpuComparison() {}

  static final long N = 30;
  static final int INPUTS = 60;
  static final int ROUNDS = 3;

  record Result(Timing oneThread, Timing gilThreads, Timing freeThreads, Timing workerJvms, Timing oneLoop) {}

  static String workload() {
    return INPUTS + " x fib(" + N + "), best of " + ROUNDS;
  }

  static Result measure(int threads, int jvms, ClusterPool jvmPool, boolean withLoop) throws Exception {
    List<Long> inputs = Collections.nCopies(INPUTS, N);
    LongUnaryOperator fib = x -> {
      try {
        return BuiltinTasks.FIB.applyAsLong(x, null);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    long expected = sum(inputs, fib);
    SimulatedGil gil = new SimulatedGil();
    String lockedName = threads + " threads under one global lock (the GIL)";
    String freeName = threads + " free threads (no GIL, as in Java)";
    String jvmsName = jvms + " worker JVM" + (jvms == 1 ? "" : "s") + " (processes: Pool.map)";
    String loopName = "one event loop (asyncio: tasks on one thread)";
    Timing one = null;
    Timing locked = null;
    Timing free = null;
    Timing processes = null;
    Timing loop = null;
    // every way in turn, ROUNDS times, keeping each one's best: the first round also warms up the JIT of every JVM,
    // and a noisy neighbour on a shared machine slows one round, not one way
    for (int round = 0; round < ROUNDS; round++) {
      AtomicLong check = new AtomicLong();
      one = best(one, Timing.of("1 thread", () -> check.set(sum(inputs, fib))));
      verify(expected, check.get(), "one thread");
      locked = best(locked, Timing.of(lockedName, () -> check.set(onThreads(threads, inputs, x -> gil.compute(() -> fib.applyAsLong(x))))));
      verify(expected, check.get(), "threads under the lock");
      free = best(free, Timing.of(freeName, () -> check.set(onThreads(threads, inputs, fib))));
      verify(expected, check.get(), "free threads");
      processes = best(processes, Timing.of(jvmsName,
          () -> check.set(jvmPool.map(BuiltinTasks.FIB, inputs).stream().mapToLong(Long::longValue).sum())));
      verify(expected, check.get(), "worker JVMs");
      if (withLoop) {
        loop = best(loop, Timing.of(loopName, () -> check.set(onOneLoop(inputs, fib))));
        verify(expected, check.get(), "the event loop");
      }
    }
    return new Result(one, locked, free, processes, loop);
  }

  private static Timing best(Timing so, Timing far) {
    return so == null || far.seconds() < so.seconds() ? far : so;
  }

  private static long sum(List<Long> inputs, LongUnaryOperator f) {
    long sum = 0;
    for (long x : inputs) sum += f.applyAsLong(x);
    return sum;
  }

  /** {@code threads} threads take the inputs one by one from a shared index, as a thread pool's map does. */
  static long onThreads(int threads, List<Long> inputs, LongUnaryOperator f) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicLong sum = new AtomicLong();
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        for (int i = next.getAndIncrement(); i < inputs.size(); i = next.getAndIncrement()) sum.addAndGet(f.applyAsLong(inputs.get(i)));
      }, "demo-thread-" + (t + 1));
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
    if (expected != got) throw new IllegalStateException(how + " computed " + got + ", one thread " + expected);
  }
}
