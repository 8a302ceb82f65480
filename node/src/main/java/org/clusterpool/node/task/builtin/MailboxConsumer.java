package org.clusterpool.node.task.builtin;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.clusterpool.node.handle.Futures;
import org.clusterpool.node.handle.Names;
import org.clusterpool.node.mailbox.DropCounter;
import org.clusterpool.node.mailbox.Mailboxes;
import org.clusterpool.node.mailbox.SlowConsumer;
import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.TaskFailure;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.worker.NodeTaskContext;

/**
 * A slow consumer actor behind one of the mailboxes of {@code config/mailboxes.conf}, started on
 * the worker's node and found by its name ({@link SlowConsumer#serviceKey}) by a producer anywhere
 * in the cluster. It runs until the producer sends {@code Finish}; then it answers how many
 * messages it processed and how many its mailbox dropped (counted as dead letters on its own node,
 * where the mailbox is). When nothing reaches it for {@code
 * clusterpool.mailboxes.consumer-give-up-after} (no producer came, or the one that came went away),
 * it stops and the task fails with a line that says which.
 */
public final class MailboxConsumer
    implements AsyncTask<MailboxConsumer.Args, MailboxConsumer.Report> {
  private static final AtomicLong STARTED = new AtomicLong();
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  /** {@code work}: seconds each message takes the consumer. */
  public record Args(String name, String mailbox, double work) {
    public Args {
      Names.check("consumer", name);
      if (!(work >= 0 && work <= 1)) // NaN too
      throw new IllegalArgumentException(
            "mailbox-consumer: work " + work + " s is out of range: accepted 0..1 s");
    }
  }

  public record Report(
      String name, String mailbox, long processed, long dropped, String worker, long pid) {
    @Override
    public String toString() {
      return worker
          + " (pid "
          + pid
          + "), mailbox "
          + mailbox
          + ": processed "
          + processed
          + ", dropped "
          + dropped;
    }
  }

  private static final ValueType<Args> ARGS = ValueTypes.record(Args.class);
  private static final ValueType<Report> REPORT = ValueTypes.record(Report.class);

  @Override
  public String name() {
    return "mailbox-consumer";
  }

  @Override
  public String description() {
    return "a slow actor behind a mailbox of config/mailboxes.conf, fed by a producer elsewhere;"
        + " returns what it processed and what was dropped";
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
    ActorSystem<?> system = NodeTaskContext.systemOf(context);
    Config config = system.settings().config();
    Props props = Mailboxes.blockingWithMailbox(config, args.mailbox());
    int capacity = Mailboxes.capacity(config, args.mailbox());
    long n = STARTED.incrementAndGet();
    CompletableFuture<Long> finished = new CompletableFuture<>();
    ActorRef<SlowConsumer.Command> consumer =
        system.systemActorOf(
            SlowConsumer.create(
                Duration.ofNanos((long) (args.work() * 1e9)),
                capacity,
                Mailboxes.consumerGiveUpAfter(config),
                Mailboxes.CONSUMER_GIVE_UP_AFTER,
                finished),
            "mailbox-" + args.name() + "-" + n,
            props);
    // the consumer is made known only once every drop is sure to be counted
    ActorRef<DropCounter.Command> counter =
        system.systemActorOf(
            DropCounter.create(
                consumer,
                SlowConsumer.Work.class,
                () ->
                    system
                        .receptionist()
                        .tell(
                            Receptionist.register(SlowConsumer.serviceKey(args.name()), consumer))),
            "mailbox-" + args.name() + "-drops-" + n,
            Props.empty());
    return finished
        .exceptionallyCompose(
            error -> {
              // no producer came, or it went away: the consumer stopped (and left the receptionist)
              counter.tell(DropCounter.Stop.INSTANCE);
              Throwable cause = Futures.cause(error);
              return CompletableFuture.failedFuture(
                  cause instanceof SlowConsumer.ProducerGone gone
                      ? new TaskFailure(
                          "mailbox-consumer '"
                              + args.name()
                              + "' ("
                              + args.mailbox()
                              + "): "
                              + gone.getMessage())
                      : cause);
            })
        .thenCompose(
            processed ->
                AskPattern.<DropCounter.Command, DropCounter.Counted>ask(
                        counter, DropCounter.Count::new, ASK_TIMEOUT, system.scheduler())
                    .thenApply(
                        counted -> {
                          counter.tell(DropCounter.Stop.INSTANCE);
                          return new Report(
                              args.name(),
                              args.mailbox(),
                              processed,
                              counted.dropped(),
                              context.workerName(),
                              context.pid());
                        }));
  }
}
