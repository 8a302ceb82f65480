package org.clusterpool.coordinator.demo;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.clusterpool.node.pipe.Connection;
import org.clusterpool.node.pipe.Pipe;
import org.clusterpool.node.pipe.PipeClosedException;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.task.builtin.PipeEcho;

/**
 * The course's pipes: this program holds one end of a duplex pipe, a worker (on another JVM with
 * {@code --nodes}) the other, and they ping-pong. Round trips per second, the order checked, then
 * EOF at the other end after close, and a send on the closed end that fails at once.
 */
final class PipeDemo implements Demo {
  static final String PIPE = "demo-pipe";
  static final int WARM_UP = 300;
  static final int ROUND_TRIPS = 3000;

  @Override
  public String name() {
    return "pipe";
  }

  @Override
  public String summary() {
    return "two ends of a duplex pipe ping-pong between this program and a worker: round trips per"
        + " second, order, EOF";
  }

  @Override
  public void run(DemoContext context) throws Exception {
    PrintWriter out = context.out();
    out.println("The course (Python): processes coordinate through pipes.");
    out.println("    def echo(conn):");
    out.println("        try:");
    out.println("            while True:");
    out.println("                conn.send(conn.recv())");
    out.println("        except EOFError:");
    out.println("            pass                          # the other end closed");
    out.println("    parent, child = Pipe()               # duplex=True");
    out.println("    Process(target=echo, args=(child,)).start()");
    out.println("    for i in range(" + ROUND_TRIPS + "):");
    out.println("        parent.send(i); assert parent.recv() == i");
    out.println("    parent.close()");
    out.println();
    out.println(
        "clusterpool (Java): each end is opened by the pipe's name, in the JVM that uses it.");
    out.println(
        "    Connection<Long> parent = Pipe.open(system, \""
            + PIPE
            + "\", ValueTypes.LONG, Pipe.End.FIRST);");
    out.println(
        "    pool.applyAsync(BuiltinTasks.PIPE_ECHO, new PipeEcho.Args(\""
            + PIPE
            + "\", 0));   // the child, on a worker");
    out.println(
        "    for (long i = 0; i < "
            + ROUND_TRIPS
            + "; i++) { parent.send(i); check(parent.recv() == i); }");
    out.println("    parent.close();");
    out.println();
    out.flush();
    try (DemoSession session = context.openSession(1, "pipe")) {
      Connection<Long> parent = Pipe.open(session.system(), PIPE, ValueTypes.LONG, Pipe.End.FIRST);
      CompletableFuture<PipeEcho.Report> child =
          session
              .pool()
              .applyAsync(BuiltinTasks.PIPE_ECHO, new PipeEcho.Args(PIPE, 0))
              .toCompletableFuture();
      long wrong = 0;
      for (long i = 0; i < WARM_UP; i++) {
        parent.send(i);
        if (parent.recv() != i) wrong++;
      }
      long start = System.nanoTime();
      for (long i = 0; i < ROUND_TRIPS; i++) {
        parent.send(i);
        if (parent.recv() != i) wrong++;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      parent.close();
      PipeEcho.Report echo = child.get(60, TimeUnit.SECONDS);
      String refused;
      try {
        parent.send(-1L);
        refused = "it was sent (it should not have been)";
      } catch (PipeClosedException e) {
        refused = "PipeClosedException: " + e.getMessage();
      }
      out.println(
          "Measured, this program (pid "
              + ProcessHandle.current().pid()
              + ") <-> "
              + echo.worker()
              + " (pid "
              + echo.pid()
              + "), "
              + (echo.pid() == ProcessHandle.current().pid() ? "in this JVM:" : "another JVM:"));
      double perSecond = ROUND_TRIPS / seconds;
      out.printf(
          Locale.ROOT,
          "    %d round trips in %.3f s: %,.0f round trips per second, %.0f µs each%n",
          ROUND_TRIPS,
          seconds,
          perSecond,
          seconds / ROUND_TRIPS * 1e6);
      out.println("    answers that were not the number sent, in order: " + wrong);
      out.println(
          "    after close, the child "
              + (echo.eof() ? "read EOF and stopped" : "stopped without EOF")
              + ", having echoed "
              + echo.echoed()
              + " messages ("
              + WARM_UP
              + " of them to warm up)");
      out.println("    a send on the closed end: " + refused);
      out.println();
      for (String line : conclusion(perSecond, wrong, echo, WARM_UP + ROUND_TRIPS, refused))
        out.println(line);
    }
    out.flush();
  }

  static List<String> conclusion(
      double perSecond, long wrong, PipeEcho.Report echo, long sent, String refused) {
    String order =
        wrong == 0
            ? "every answer came back in order"
            : wrong + " answers came back wrong or out of order";
    String eof =
        echo.eof() && echo.echoed() == sent
            ? "closing one end gave the other EOF after the last of the " + sent + " messages"
            : "the child echoed "
                + echo.echoed()
                + " of "
                + sent
                + " messages"
                + (echo.eof() ? " before EOF" : " and saw no EOF");
    String closed =
        refused.startsWith("PipeClosedException")
            ? "a send on the closed end failed at once, without hanging"
            : "a send on the closed end was not refused";
    return List.of(
        String.format(
            Locale.ROOT,
            "%,.0f round trips per second; %s; %s; %s.",
            perSecond,
            order,
            eof,
            closed));
  }
}
