package org.clusterpool.node.task.builtin;

import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.LongTask;

/**
 * Typed handles on the built-in tasks, for the Java API: {@code pool.map(BuiltinTasks.SQUARE,
 * inputs)}.
 */
public final class BuiltinTasks {
  private BuiltinTasks() {}

  public static final LongTask SQUARE = new Square();
  public static final LongTask COUNT_PRIMES = new CountPrimes();
  public static final CpuTask<Long, Boolean> IS_PRIME = new IsPrime();
  public static final LongTask FIB = new Fib();
  public static final LongTask MONTE_CARLO_PI = new MonteCarloPi();
  public static final CpuTask<Long, String> SHA256 = new Sha256();
  public static final AsyncTask<Double, Double> SLEEP = new Sleep();
  public static final CpuTask<Double, Double> SLEEP_BLOCKING = new SleepBlocking();
  public static final CpuTask<String, String> FAIL = new Fail();
  public static final CpuTask<Long, WhoAmI.Answer> WHOAMI = new WhoAmI();
  public static final CpuTask<Pow.Args, Long> POW = new Pow();
  public static final LongTask HALT = new Halt();
  public static final CpuTask<Long, Increment.Counted> INCREMENT = new Increment();
  public static final AsyncTask<QueuePut.Args, QueuePut.Report> QUEUE_PUT = new QueuePut();
  public static final AsyncTask<QueueTake.Args, QueueTake.Report> QUEUE_TAKE = new QueueTake();
  public static final AsyncTask<PipeEcho.Args, PipeEcho.Report> PIPE_ECHO = new PipeEcho();
  public static final AsyncTask<MailboxConsumer.Args, MailboxConsumer.Report> MAILBOX_CONSUMER =
      new MailboxConsumer();
}
