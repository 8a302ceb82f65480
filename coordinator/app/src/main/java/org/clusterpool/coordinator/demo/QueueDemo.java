package org.clusterpool.coordinator.demo;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.node.queue.DistributedQueue;
import org.clusterpool.node.queue.QueueStats;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.task.builtin.QueuePut;
import org.clusterpool.node.task.builtin.QueueTake;

/**
 * The course's queues between processes: producers and consumers, as tasks on the workers (on other
 * JVMs with {@code --nodes}), through one bounded queue in this JVM. The producers are faster: they
 * wait for room (counted), the queue never grows past its bound, and every item arrives exactly
 * once.
 */
final class QueueDemo implements Demo {
  static final String QUEUE = "demo-queue";
  static final int MAXSIZE = 8;
  static final int PRODUCERS = 2;
  static final int CONSUMERS = 2;
  static final long ITEMS_EACH = 100;
  static final double CONSUMER_PAUSE = 0.01;

  @Override
  public String name() {
    return "queue";
  }

  @Override
  public String summary() {
    return "producers and consumers on the workers through one bounded queue: backpressure counted,"
        + " every item once";
  }

  @Override
  public void run(DemoContext context) throws Exception {
    PrintWriter out = context.out();
    out.println("The course (Python): processes coordinate through queues.");
    out.println("    def producteur(q, debut, n):");
    out.println("        for x in range(debut, debut + n):");
    out.println("            q.put(x)                      # waits while the queue is full");
    out.println("    def consommateur(q):");
    out.println("        while True:");
    out.println("            x = q.get()");
    out.println(
        "            time.sleep(" + CONSUMER_PAUSE + ")               # slower than the producers");
    out.println("    q = Queue(maxsize=" + MAXSIZE + ")");
    out.println();
    out.println(
        "clusterpool (Java): the queue lives in this JVM; producers and consumers are tasks on the"
            + " workers.");
    out.println(
        "    DistributedQueue<Long> q = DistributedQueue.create(system, \""
            + QUEUE
            + "\", ValueTypes.LONG, "
            + MAXSIZE
            + ");");
    out.println(
        "    pool.mapAsync(BuiltinTasks.QUEUE_TAKE, List.of(new QueueTake.Args(\""
            + QUEUE
            + "\", 0, "
            + CONSUMER_PAUSE
            + "), ...), 1);");
    out.println(
        "    pool.map(BuiltinTasks.QUEUE_PUT, List.of(new QueuePut.Args(\""
            + QUEUE
            + "\", 0, "
            + ITEMS_EACH
            + "), ...), 1);");
    out.println(
        "    q.close();   // once the producers are done: the consumers take what is left, then"
            + " stop");
    out.println();
    out.flush();
    try (DemoSession session = context.openSession(2, "queue")) {
      DistributedQueue<Long> queue =
          DistributedQueue.create(session.system(), QUEUE, ValueTypes.LONG, MAXSIZE);
      List<QueueTake.Args> takers = new ArrayList<>();
      for (int c = 0; c < CONSUMERS; c++) takers.add(new QueueTake.Args(QUEUE, 0, CONSUMER_PAUSE));
      List<QueuePut.Args> putters = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++)
        putters.add(new QueuePut.Args(QUEUE, p * 1_000_000L, ITEMS_EACH));
      long start = System.nanoTime();
      CompletableFuture<List<QueueTake.Report>> consuming =
          session.pool().mapAsync(BuiltinTasks.QUEUE_TAKE, takers, 1).toCompletableFuture();
      List<QueuePut.Report> produced = session.pool().map(BuiltinTasks.QUEUE_PUT, putters, 1);
      queue.close();
      List<QueueTake.Report> consumed = consuming.get(5, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - start) / 1e9;
      QueueStats stats = queue.stats();
      report(out, session.where(), produced, consumed, stats, seconds);
    }
    out.flush();
  }

  private static void report(
      PrintWriter out,
      String where,
      List<QueuePut.Report> produced,
      List<QueueTake.Report> consumed,
      QueueStats stats,
      double seconds) {
    out.println(
        "Measured, on " + where + ", in " + String.format(Locale.ROOT, "%.2f", seconds) + " s:");
    long waited = 0;
    long put = 0;
    for (QueuePut.Report p : produced) {
      out.println(
          "    producer "
              + p.worker()
              + " (pid "
              + p.pid()
              + "): put "
              + p.put()
              + " items, waited "
              + p.waited()
              + " times for room");
      waited += p.waited();
      put += p.put();
    }
    List<Long> all = new ArrayList<>();
    for (QueueTake.Report c : consumed) {
      out.println(
          "    consumer " + c.worker() + " (pid " + c.pid() + "): took " + c.taken() + " items");
      all.addAll(c.items());
    }
    Set<Long> distinct = new HashSet<>(all);
    long missing = 0;
    for (int p = 0; p < PRODUCERS; p++) {
      for (long i = 0; i < ITEMS_EACH; i++) if (!distinct.contains(p * 1_000_000L + i)) missing++;
    }
    long duplicated = all.size() - distinct.size();
    out.println(
        "    the queue held at most "
            + stats.highestSize()
            + " items (maxsize "
            + MAXSIZE
            + "); at most "
            + stats.highestParkedPuts()
            + " puts waited at once");
    out.println(
        "    items put: "
            + put
            + "; taken: "
            + all.size()
            + "; duplicated: "
            + duplicated
            + "; missing: "
            + missing);
    out.println();
    out.println(conclusion(waited, stats.highestSize(), put, all.size(), duplicated, missing));
    out.flush();
    // a demo whose lesson did not hold ends as a failure does: scripts and CI see it
    if (duplicated != 0 || missing != 0 || all.size() != put)
      throw new CommandFailure(
          "demo queue: delivery was not exact: "
              + duplicated
              + " duplicated, "
              + missing
              + " missing of "
              + put
              + " (the report above)");
  }

  /**
   * From the numbers: whether the producers were held back, the bound held, and each item arrived
   * once.
   */
  static String conclusion(
      long waited, int highestSize, long put, long taken, long duplicated, long missing) {
    String backpressure =
        waited > 0
            ? "Backpressure: the producers waited " + waited + " times for room"
            : "The producers never found the queue full this time (the consumers kept up)";
    String bound =
        highestSize <= MAXSIZE
            ? " and the queue never grew past " + MAXSIZE + "."
            : ", and the queue grew to " + highestSize + ", past its bound of " + MAXSIZE + ".";
    String delivery =
        duplicated == 0 && missing == 0 && taken == put
            ? " Every one of the " + put + " items arrived exactly once."
            : " Delivery was not exact: " + duplicated + " duplicated, " + missing + " missing.";
    return backpressure + bound + delivery;
  }
}
