package org.clusterpool.coordinator.demo;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.task.builtin.Increment;

/**
 * The course's "each process has its own memory": every worker increments its own copy of a
 * "global" counter. The values each worker's counter took show that no worker saw another's writes;
 * the total exists only as the sum of their answers, gathered as messages. Threads sharing one
 * counter are shown beside it for contrast.
 */
final class IsolationDemo implements Demo {
  static final int INCREMENTS = 1000;

  /**
   * The threads' increments each: a few hundred take microseconds, less than starting a thread, so
   * the threads would run one after the other and show nothing; this many keep them running side by
   * side on every core.
   */
  static final long SHARED_EACH = 200_000;

  @Override
  public String name() {
    return "isolation";
  }

  @Override
  public String summary() {
    return "a 'global' counter that every worker increments: each sees only its own writes; only"
        + " messages combine them";
  }

  @Override
  public void run(DemoContext context) throws Exception {
    int perNode = context.workersOr(context.nodes() > 0 ? 2 : 4);
    int total = context.nodes() > 0 ? context.nodes() * perNode : perNode;
    if (total < 2)
      throw new IllegalArgumentException(
          "demo isolation compares the counters of several workers: it needs 2 or more, got "
              + total
              + " (accepted: --workers 2 or more, or --nodes 2 or more)");
    PrintWriter out = context.out();
    out.println("The course (Python): each process has its own memory space.");
    out.println("    compteur = 0                          # a \"global\" variable");
    out.println("    def incremente(_):");
    out.println("        global compteur");
    out.println("        compteur += 1");
    out.println("        return compteur");
    out.println("    with Pool(4) as p:");
    out.println("        vus = p.map(incremente, range(" + INCREMENTS + "), chunksize=10)");
    out.println("    print(compteur)                       # 0: the parent's copy never moved");
    out.println();
    out.println(
        "clusterpool (Java): the increment task adds to context.globals(), a map each worker"
            + " owns.");
    out.println(
        "    long compteur = 0;                                                    // this"
            + " program's own");
    out.println(
        "    List<Counted> vus = pool.map(BuiltinTasks.INCREMENT, nCopies("
            + INCREMENTS
            + ", 1L), 10);");
    out.println();
    out.flush();
    long compteur = 0; // never written by anyone: that is the point
    WorkerCounts counts;
    String where;
    try (DemoSession session = context.openSession(context.nodes() > 0 ? 2 : 4, "isolation")) {
      where = session.where();
      List<Increment.Counted> answers =
          session.pool().map(BuiltinTasks.INCREMENT, Collections.nCopies(INCREMENTS, 1L), 10);
      counts = WorkerCounts.of(answers);
    }
    out.println("Measured, on " + where + ":");
    out.printf("    %-28s %10s   %s%n", "worker", "increments", "values its counter took");
    for (WorkerCounts.Worker worker : counts.workers()) {
      out.printf(
          "    %-28s %10d   %s%n",
          worker.name() + " (pid " + worker.pid() + ")", worker.increments(), describe(worker));
    }
    String sum =
        counts.workers().stream()
            .map(w -> Long.toString(w.last()))
            .collect(Collectors.joining(" + "));
    out.println("    combined, by message:        " + sum + " = " + counts.combined());
    out.println("    this program's compteur:     " + compteur + " (no worker's write reached it)");
    out.println();

    int threads = Math.max(2, counts.workers().size());
    long each = SHARED_EACH;
    SharedCounterThreads.Result shared = SharedCounterThreads.run(threads, each);
    out.println(
        "The same with "
            + threads
            + " threads of this program, which share its memory: one counter, "
            + String.format(Locale.ROOT, "%,d", each)
            + " increments each.");
    out.println(
        "    largest value each thread saw: "
            + shared.largestSeen()
            + "; the shared counter ends at "
            + shared.finalValue());
    out.println();
    for (String line : conclusion(counts, shared)) out.println(line);
    out.flush();
  }

  private static String describe(WorkerCounts.Worker worker) {
    if (worker.isolated()) return "1.." + worker.last() + ", one after the other";
    return "not 1.." + worker.increments() + ": " + abbreviate(worker.values());
  }

  private static String abbreviate(List<Long> values) {
    String text = values.toString();
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }

  /**
   * What kind of isolation the run showed: actors of one JVM keep their state to themselves, which
   * is not the course's separate memory of processes; that takes workers in JVMs of their own.
   */
  private static String where(WorkerCounts counts) {
    List<Long> pids = counts.workers().stream().map(WorkerCounts.Worker::pid).distinct().toList();
    if (pids.size() == 1) {
      return "All of them are actors of one JVM (pid "
          + pids.get(0)
          + "): what is isolated here is each actor's own state, which only messages reach,\n"
          + "not a process's memory. Run it with --nodes 2 to see workers in separate JVMs, each"
          + " with memory of its own.";
    }
    return "They ran in "
        + pids.size()
        + " JVMs (pids "
        + pids.stream().map(String::valueOf).collect(Collectors.joining(", "))
        + "), each with memory of its own, as the course's processes; workers of one JVM are"
        + " actors\nthat keep their state to themselves.";
  }

  /** What the numbers show, from the numbers: never a sentence that could contradict them. */
  static List<String> conclusion(WorkerCounts counts, SharedCounterThreads.Result shared) {
    int n = counts.workers().size();
    String first;
    if (n < 2) {
      first =
          "Nothing to compare: only "
              + n
              + " worker answered, so no counter could have seen another's writes.";
    } else if (counts.allIsolated()) {
      first =
          "Isolated: yes. Each of the "
              + n
              + " workers counted only its own increments: its counter went 1, 2, 3... with no"
              + " gap\nand no value written by another, and the largest any worker saw was "
              + counts.largestSeen()
              + ", not "
              + counts.combined()
              + ".\n"
              + where(counts);
    } else {
      List<String> notIsolated =
          counts.workers().stream()
              .filter(w -> !w.isolated())
              .map(WorkerCounts.Worker::name)
              .toList();
      first =
          "Isolated: no. The counters of "
              + notIsolated
              + " took values beyond their own increments: they saw writes of others.";
    }
    String second =
        "The total, "
            + counts.combined()
            + ", exists only as the sum of their answers, gathered as messages.";
    String third =
        shared.mostSeen() > shared.each()
            ? "The threads, sharing memory, saw each other's writes: one saw the counter at "
                + shared.mostSeen()
                + " after only "
                + shared.each()
                + " increments of its own."
            : "The threads happened not to overlap this time: none saw the counter beyond its own "
                + shared.each()
                + " increments.";
    return List.of(first, second, third);
  }
}
