package org.clusterpool.coordinator.demo;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.clusterpool.node.mailbox.FastProducer;
import org.clusterpool.node.mailbox.Mailboxes;
import org.clusterpool.node.mailbox.Recorder;
import org.clusterpool.node.mailbox.SlowConsumer;
import org.clusterpool.node.mailbox.SlowStarter;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.task.builtin.MailboxConsumer;

/**
 * An actor's mailbox is its own queue. A slow actor behind a bounded mailbox fed by a fast one:
 * with the mailbox that drops, messages are lost (counted exactly, as dead letters); with work
 * pulling through the same bound, none is, and the producer is slowed to the consumer's pace. Then
 * a priority mailbox, and a stash while initialising. The mailboxes come from {@code
 * config/mailboxes.conf}. With {@code --nodes}, the slow actor is on a worker JVM.
 */
final class MailboxDemo implements Demo {
  static final long MESSAGES = 1000;
  static final double WORK_SECONDS = 0.001;
  private static final Duration ASK = Duration.ofSeconds(60);
  private static final AtomicLong RUNS = new AtomicLong();

  @Override
  public String name() {
    return "mailbox";
  }

  @Override
  public String summary() {
    return "a slow actor behind a bounded mailbox: with drop, messages lost (counted); with work"
        + " pulling, none; priority; stash";
  }

  /** One run of a fast producer into a slow consumer: what was sent, processed and dropped. */
  record Run(String mailbox, FastProducer.Sent sent, MailboxConsumer.Report consumer) {
    long lost() {
      return sent.sent() - consumer.processed();
    }
  }

  @Override
  public void run(DemoContext context) throws Exception {
    PrintWriter out = context.out();
    out.println("The course (Python): a queue between processes, and what a full one does.");
    out.println("    q = Queue(maxsize=100)");
    out.println("    q.put_nowait(x)       # full: raises queue.Full, and the message is lost");
    out.println("    q.put(x)              # full: waits, and the producer is slowed");
    out.println();
    out.println(
        "clusterpool (Java): an actor's mailbox is its queue; config/mailboxes.conf chooses it.");
    out.println(
        "    Props drop = MailboxSelector.fromConfig(\"clusterpool.mailboxes.bounded-drop\");   //"
            + " 100, then dead letters");
    out.println(
        "    Props pull = MailboxSelector.fromConfig(\"clusterpool.mailboxes.bounded-pull\");   //"
            + " 100, filled on demand");
    out.println(
        "    Props urgentFirst = MailboxSelector.fromConfig(\"clusterpool.mailboxes.priority\");");
    out.println(
        "    Behaviors.withStash(capacity, stash -> ...)                                      //"
            + " while initialising");
    out.println();
    out.flush();
    try (DemoSession session = context.openSession(1, "mailbox")) {
      Config config = session.system().settings().config();
      int capacity = Mailboxes.capacity(config, Mailboxes.BOUNDED_DROP);
      Run drop = run(session, Mailboxes.BOUNDED_DROP, false);
      Run pull = run(session, Mailboxes.BOUNDED_PULL, true);
      MailboxConsumer.Report where = drop.consumer();
      out.printf(
          Locale.ROOT,
          "1. A slow actor (%.0f ms a message) on %s (pid %d), behind a mailbox of %d; %d messages"
              + " from this program:%n",
          WORK_SECONDS * 1000,
          where.worker(),
          where.pid(),
          capacity,
          MESSAGES);
      out.printf(
          Locale.ROOT,
          "   drop:          sent in %.3f s; processed %d; dropped %d (counted as dead letters;"
              + " sent - processed = %d)%n",
          drop.sent().seconds(),
          drop.consumer().processed(),
          drop.consumer().dropped(),
          drop.lost());
      out.printf(
          Locale.ROOT,
          "   work pulling:  sent in %.3f s, on %d requests of the consumer; processed %d; dropped"
              + " %d%n",
          pull.sent().seconds(),
          pull.sent().demands(),
          pull.consumer().processed(),
          pull.consumer().dropped());
      out.flush();

      List<String> order = priority(session.system());
      out.println(
          "2. Priority mailbox: while the actor is busy, job-1, job-2, job-3, then an urgent one"
              + " arrive.");
      out.println("   handled in this order: " + String.join(", ", order));
      SlowStarter.Log stash = stash(session.system(), Mailboxes.stashCapacity(config));
      out.println(
          "3. Stash while initialising: 5 jobs and a question sent as the actor starts; it is ready"
              + " after "
              + stash.readyAfterMillis()
              + " ms.");
      out.println(
          "   stashed "
              + stash.stashed()
              + " messages, refused "
              + stash.refused()
              + "; then handled in order: "
              + String.join(", ", stash.handled()));
      out.println();
      for (String line : conclusion(drop, pull, order, stash)) out.println(line);
    }
    out.flush();
  }

  /**
   * Starts the consumer on a worker, finds it, feeds it, and asks it what it processed and what was
   * dropped.
   */
  private static Run run(DemoSession session, String mailbox, boolean pull) throws Exception {
    ActorSystem<?> system = session.system();
    String name = "demo-" + mailbox + "-" + RUNS.incrementAndGet();
    CompletableFuture<MailboxConsumer.Report> consumerTask =
        session
            .pool()
            .applyAsync(
                BuiltinTasks.MAILBOX_CONSUMER,
                new MailboxConsumer.Args(name, mailbox, WORK_SECONDS))
            .toCompletableFuture();
    ActorRef<SlowConsumer.Command> consumer =
        find(system, SlowConsumer.serviceKey(name), consumerTask);
    ActorRef<FastProducer.Command> producer =
        system.systemActorOf(FastProducer.create(), name + "-producer", Props.empty());
    FastProducer.Sent sent =
        AskPattern.<FastProducer.Command, FastProducer.Sent>ask(
                producer,
                replyTo ->
                    pull
                        ? new FastProducer.Pull(consumer, MESSAGES, replyTo)
                        : new FastProducer.Flood(consumer, MESSAGES, replyTo),
                ASK,
                system.scheduler())
            .toCompletableFuture()
            .get(ASK.toSeconds(), TimeUnit.SECONDS);
    long deadline = System.nanoTime() + ASK.toNanos();
    while (!consumerTask.isDone()) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException(
            "the consumer did not finish within " + ASK.toSeconds() + " s");
      producer.tell(
          FastProducer.Finish
              .INSTANCE); // a full mailbox drops this too: again until the consumer answers
      try {
        consumerTask.get(100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillWorking) {
        // it is working through its mailbox
      }
    }
    return new Run(mailbox, sent, consumerTask.get());
  }

  private static <T> ActorRef<T> find(
      ActorSystem<?> system, ServiceKey<T> key, CompletableFuture<?> task) throws Exception {
    long deadline = System.nanoTime() + ASK.toNanos();
    while (System.nanoTime() < deadline) {
      if (task.isDone()) task.get(); // a consumer that could not start says why
      Receptionist.Listing listing =
          AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
                  system.receptionist(),
                  replyTo -> Receptionist.find(key, replyTo),
                  ASK,
                  system.scheduler())
              .toCompletableFuture()
              .get();
      Set<ActorRef<T>> found = listing.getServiceInstances(key);
      if (!found.isEmpty()) return found.iterator().next();
      Thread.sleep(20);
    }
    throw new IllegalStateException(
        "the consumer " + key.id() + " did not appear within " + ASK.toSeconds() + " s");
  }

  private static List<String> priority(ActorSystem<?> system) throws Exception {
    Config config = system.settings().config();
    ActorRef<Recorder.Command> recorder =
        system.systemActorOf(
            Recorder.create(),
            "demo-priority-" + RUNS.incrementAndGet(),
            Mailboxes.selector(config, Mailboxes.PRIORITY));
    // once it is busy (a second: long enough for the tells below on a loaded machine), what comes
    // next waits in its
    // mailbox, where the priority applies
    AskPattern.<Recorder.Command, Recorder.Started>ask(
            recorder, replyTo -> new Recorder.Busy(1000, replyTo), ASK, system.scheduler())
        .toCompletableFuture()
        .get();
    for (int i = 1; i <= 3; i++) recorder.tell(new Recorder.Job("job-" + i));
    recorder.tell(new Recorder.UrgentJob("URGENT"));
    return AskPattern.<Recorder.Command, Recorder.Log>ask(
            recorder, Recorder.GetLog::new, ASK, system.scheduler())
        .toCompletableFuture()
        .get()
        .handled();
  }

  private static SlowStarter.Log stash(ActorSystem<?> system, int capacity) throws Exception {
    ActorRef<SlowStarter.Command> starter =
        system.systemActorOf(
            SlowStarter.create(Duration.ofMillis(300), capacity),
            "demo-stash-" + RUNS.incrementAndGet(),
            Props.empty());
    for (int i = 1; i <= 5; i++) starter.tell(new SlowStarter.Job("job-" + i));
    return AskPattern.<SlowStarter.Command, SlowStarter.Log>ask(
            starter, SlowStarter.GetLog::new, ASK, system.scheduler())
        .toCompletableFuture()
        .get();
  }

  /** From the numbers. */
  static List<String> conclusion(Run drop, Run pull, List<String> order, SlowStarter.Log stash) {
    List<String> lines = new ArrayList<>();
    long dropped = drop.consumer().dropped();
    String exact =
        dropped == drop.lost()
            ? "each one counted"
            : "but only " + dropped + " of the " + drop.lost() + " missing were counted";
    lines.add(
        "Drop: "
            + drop.lost()
            + " of "
            + drop.sent().sent()
            + " messages were lost without a word to the producer ("
            + exact
            + ").");
    double slower = pull.sent().seconds() / Math.max(drop.sent().seconds(), 1e-6);
    lines.add(
        pull.lost() == 0 && pull.consumer().dropped() == 0
            ? String.format(
                Locale.ROOT,
                "Work pulling through the same bound: none lost, and sending took %.2f s instead of"
                    + " %.3f s (%.0fx longer): the producer went at the consumer's pace.",
                pull.sent().seconds(),
                drop.sent().seconds(),
                slower)
            : "Work pulling: "
                + pull.lost()
                + " messages still missing, "
                + pull.consumer().dropped()
                + " dropped.");
    int urgent = order.indexOf("URGENT");
    int waiting = (int) order.stream().filter(label -> label.startsWith("job-")).count();
    lines.add(
        urgent >= 0
                && order.subList(urgent + 1, order.size()).stream()
                        .filter(l -> l.startsWith("job-"))
                        .count()
                    == waiting
            ? "Priority: the urgent message overtook the "
                + waiting
                + " ordinary ones waiting before it."
            : "Priority: the urgent message was handled at place "
                + (urgent + 1)
                + ": "
                + order
                + ".");
    boolean inOrder = stash.handled().equals(List.of("job-1", "job-2", "job-3", "job-4", "job-5"));
    lines.add(
        inOrder && stash.refused() == 0
            ? "Stash: the "
                + stash.handled().size()
                + " jobs sent during initialisation were all handled, in order, once the actor was"
                + " ready."
            : "Stash: handled " + stash.handled() + ", refused " + stash.refused() + ".");
    return lines;
  }
}
