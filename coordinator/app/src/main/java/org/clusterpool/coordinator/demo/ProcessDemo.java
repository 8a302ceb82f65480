package org.clusterpool.coordinator.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.clusterpool.node.RunTask;
import org.clusterpool.node.catalog.TaskPaths;
import org.clusterpool.node.launcher.JvmLauncher;
import org.clusterpool.node.launcher.JvmProcess;
import org.clusterpool.node.launcher.JvmSpec;

/**
 * The course's {@code Process(target=worker).start(); p.join()}: a child JVM runs one task and
 * prints, this one waits for it to end. Two processes, two pids, nothing shared but the output the
 * parent reads.
 */
final class ProcessDemo implements Demo {
  @Override
  public String name() {
    return "process";
  }

  @Override
  public String summary() {
    return "Process(target=worker).start(); join(): a child JVM runs one task, prints, exits";
  }

  @Override
  public void run(DemoContext context) throws IOException {
    if (context.workers() > 0 || context.nodes() > 0 || context.dashboard() != PoolDashboard.NONE)
      throw new IllegalArgumentException(
          "demo process starts one child JVM that runs one task, with no pool: it takes no"
              + " --workers, --nodes or --dashboard (accepted: --tasks)");
    PrintWriter out = context.out();
    out.println("The course (Python):");
    out.println("    def worker():");
    out.println("        print(\"Tâche du processus\")");
    out.println("    p = Process(target=worker)");
    out.println("    p.start()  # Démarre le processus");
    out.println("    p.join()   # Attend la fin du processus");
    out.println();
    out.println(
        "clusterpool (Java): the child is a JVM of its own, started from the same jar, running the"
            + " whoami task.");
    out.println();
    Path log = Files.createTempFile("clusterpool-process", ".log");
    try {
      long start = System.nanoTime();
      List<String> args =
          new ArrayList<>(
              TaskPaths.of(context.tasks())
                  .arguments()); // the command's tasks, as every JVM it starts
      args.addAll(List.of("whoami", "1"));
      JvmSpec spec = new JvmSpec("process", RunTask.class.getName(), args, "64m", log, Map.of());
      JvmProcess child = JvmLauncher.start(spec);
      out.printf(
          "parent (pid %d): started the child, pid %d; join() waits for it...%n",
          ProcessHandle.current().pid(), child.pid());
      out.flush();
      boolean ended = child.waitFor(Duration.ofSeconds(60));
      if (!ended) {
        child.kill();
        throw new IllegalStateException("the child process did not end within 60 s");
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      List<String> printed =
          Files.readAllLines(log).stream().filter(line -> !line.isBlank()).toList();
      for (String line : printed)
        out.println("child  (pid " + child.pid() + "): Tâche du processus -> whoami: " + line);
      out.printf(
          Locale.ROOT,
          "parent (pid %d): the child ended with exit code %d after %.2f s (most of it the JVM"
              + " starting).%n",
          ProcessHandle.current().pid(),
          child.exitCode(),
          seconds);
      out.println();
      out.println(
          "Two processes, two pids: the child had its own memory and could only hand its result"
              + " back as output.");
    } finally {
      Files.deleteIfExists(log);
    }
    out.flush();
  }
}
