package org.clusterpool.node.task.builtin;

import java.io.EOFException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.clusterpool.node.pipe.Connection;
import org.clusterpool.node.pipe.Pipe;
import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.worker.NodeTaskContext;

/**
 * The child side of a ping-pong: opens the second end of a named duplex pipe and sends back every
 * message it receives, {@code while True: conn.send(conn.recv())}, until the other end closes (EOF)
 * or {@code rounds} were echoed; then closes its end.
 */
public final class PipeEcho implements AsyncTask<PipeEcho.Args, PipeEcho.Report> {

  /** {@code rounds} 0: until the other end closes. */
  public record Args(String pipe, long rounds) {
    public Args {
      if (rounds < 0)
        throw new IllegalArgumentException(
            "pipe-echo: rounds " + rounds + " is out of range: accepted 0 (until EOF) or more");
    }
  }

  /** How many messages it echoed, and whether it stopped at the other end's EOF. */
  public record Report(String pipe, long echoed, boolean eof, String worker, long pid) {
    @Override
    public String toString() {
      return worker
          + " (pid "
          + pid
          + ") echoed "
          + echoed
          + " messages on "
          + pipe
          + (eof ? ", then read EOF" : "");
    }
  }

  private static final ValueType<Args> ARGS = ValueTypes.record(Args.class);
  private static final ValueType<Report> REPORT = ValueTypes.record(Report.class);

  @Override
  public String name() {
    return "pipe-echo";
  }

  @Override
  public String description() {
    return "opens the second end of the named duplex pipe of long messages and sends back each one,"
        + " until EOF (rounds 0) or rounds";
  }

  @Override
  public ValueType<Args> inputType() {
    return ARGS;
  }

  @Override
  public ValueType<Report> outputType() {
    return REPORT;
  }

  @Override
  public CompletionStage<Report> apply(Args args, TaskContext context) {
    Connection<Long> end =
        Pipe.open(NodeTaskContext.systemOf(context), args.pipe(), ValueTypes.LONG, Pipe.End.SECOND);
    long[] echoed = {0};
    boolean[] eof = {false};
    return AsyncLoop.run(
            context,
            () -> {
              if (args.rounds() > 0 && echoed[0] >= args.rounds())
                return CompletableFuture.completedFuture(false);
              return end.recvAsync()
                  .thenCompose(message -> end.sendAsync(message))
                  .thenApply(
                      sent -> {
                        echoed[0]++;
                        return true;
                      })
                  .exceptionally(AsyncLoop.endsAt(EOFException.class, () -> eof[0] = true));
            })
        .whenComplete((done, error) -> end.close())
        .thenApply(
            done ->
                new Report(args.pipe(), echoed[0], eof[0], context.workerName(), context.pid()));
  }
}
