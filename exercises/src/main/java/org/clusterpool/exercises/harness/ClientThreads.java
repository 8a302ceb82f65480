package org.clusterpool.exercises.harness;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client threads of one run. They are daemon threads (a deadlocked run cannot keep the JVM
 * alive), they all wait at a start gate so that the clock starts when every one of them is ready,
 * and each one publishes how many operations it has done in a slot of its own, so that counting
 * costs no contention.
 */
final class ClientThreads<S> {

  /** 16 longs (128 bytes) between two clients' slots: no two slots share a cache line. */
  private static final int STRIDE = 16;

  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  private final Workload<S, ?> workload;
  private final S solution;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLongArray progress;
  private final CountDownLatch ready;
  private final CountDownLatch finished;

  /**
   * The start gate. A latch would wake the clients one after the other, tens of microseconds apart,
   * and a fast client would be done before the last one started: they would never really run at the
   * same time. Spinning on a flag (yielding, so that the harness's thread gets a core to open it)
   * starts them together.
   */
  private volatile boolean open;

  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stopping;

  ClientThreads(Workload<S, ?> workload, S solution) {
    this.workload = workload;
    this.solution = solution;
    int clients = workload.clients();
    this.progress = new AtomicLongArray(clients * STRIDE);
    this.ready = new CountDownLatch(clients);
    this.finished = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread thread = new Thread(() -> runClient(client), workload.clientName(client));
      thread.setDaemon(true);
      threads.add(thread);
    }
  }

  /** Starts every thread and waits, at most {@code limit}, until all stand at the gate. */
  boolean start(Duration limit) throws InterruptedException {
    for (Thread thread : threads) thread.start();
    return ready.await(limit.toNanos(), TimeUnit.NANOSECONDS);
  }

  void go() {
    open = true;
  }

  boolean awaitFinished(long millis) throws InterruptedException {
    return finished.await(millis, TimeUnit.MILLISECONDS);
  }

  /** The first exception a client threw, if any. */
  Throwable failure() {
    return failure.get();
  }

  long operations() {
    long sum = 0;
    for (int c = 0; c < threads.size(); c++) sum += progress.get(c * STRIDE);
    return sum;
  }

  /**
   * For a time-out: each unfinished client's state and where it is, such as {@code consumer-1
   * WAITING in Object.wait}.
   */
  String whatTheyAreDoing() {
    List<String> states = new ArrayList<>();
    for (Thread thread : threads) {
      if (!thread.isAlive()) continue;
      String where = where(thread);
      if (!where.isEmpty()) states.add(where);
    }
    return states.isEmpty() ? "every client had returned" : String.join(", ", states);
  }

  /**
   * Whether the clients still alive are all running (RUNNABLE: a loop that never ends, a spin on
   * what never comes), not waiting or blocked; false when none is alive.
   */
  boolean stillRunning() {
    boolean any = false;
    for (Thread thread : threads) {
      Thread.State state = thread.getState();
      if (state == Thread.State.TERMINATED) continue;
      if (state != Thread.State.RUNNABLE) return false;
      any = true;
    }
    return any;
  }

  /**
   * {@code client-0 WAITING in Object.wait}: a thread's name, state and top frame; empty when gone.
   */
  static String where(Thread thread) {
    ThreadInfo info = MX.getThreadInfo(thread.getId(), 1);
    if (info == null) return "";
    StackTraceElement[] top = info.getStackTrace();
    String where =
        top.length == 0
            ? ""
            : " in " + simpleClass(top[0].getClassName()) + "." + top[0].getMethodName();
    return info.getThreadName() + " " + info.getThreadState() + where;
  }

  /**
   * Interrupts the clients still running and waits for them, all together at most {@code budget};
   * returns the names of those still alive (blocked in {@code synchronized}, or deaf to
   * interrupts).
   */
  List<String> stop(Duration budget) throws InterruptedException {
    stopping = true;
    for (Thread thread : threads) thread.interrupt();
    long deadline = System.nanoTime() + budget.toNanos();
    List<String> alive = new ArrayList<>();
    for (Thread thread : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) TimeUnit.NANOSECONDS.timedJoin(thread, left);
      if (thread.isAlive()) alive.add(thread.getName());
    }
    return alive;
  }

  private void runClient(int client) {
    try {
      ready.countDown();
      while (!open) {
        if (stopping) return;
        Thread.yield();
      }
      long calls = workload.calls(client);
      long done = 0;
      for (long call = 0; call < calls; call++) {
        done += workload.operate(solution, client, call);
        progress.lazySet(client * STRIDE, done);
      }
      workload.clientFinished(solution, client);
    } catch (Throwable e) {
      // once the harness stops the run, the interrupts it sends are expected, not the solution's
      // failure
      if (!stopping) failure.compareAndSet(null, e);
    } finally {
      finished.countDown();
    }
  }

  private static String simpleClass(String name) {
    return name.substring(name.lastIndexOf('.') + 1);
  }
}
