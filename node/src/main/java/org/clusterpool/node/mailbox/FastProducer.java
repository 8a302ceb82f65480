package org.clusterpool.node.mailbox;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.clusterpool.node.wire.CborSerializable;

/**
 * A producer faster than its consumer. {@link Flood}: it sends everything at once, as fast as it
 * can. {@link Pull}: it sends only what the consumer asked for ({@link Demand}), so it goes at the
 * consumer's pace. Either way it answers {@link Sent} with how long sending took.
 */
public final class FastProducer extends AbstractBehavior<FastProducer.Command> {

  public sealed interface Command permits Flood, Pull, Demand, Finish {}

  public record Flood(ActorRef<SlowConsumer.Command> consumer, long count, ActorRef<Sent> replyTo)
      implements Command, CborSerializable {}

  public record Pull(ActorRef<SlowConsumer.Command> consumer, long count, ActorRef<Sent> replyTo)
      implements Command, CborSerializable {}

  /** The consumer has room for {@code count} more. */
  public record Demand(long count) implements Command, CborSerializable {}

  /**
   * Tells the consumer that everything was sent, behind the last message (same sender, so in
   * order). A full mailbox drops this too: send it again until the consumer has answered its own
   * way.
   */
  public enum Finish implements Command, CborSerializable {
    INSTANCE
  }

  /**
   * Everything was sent: {@code seconds} from the first message to the last; {@code demands}: the
   * consumer's requests.
   */
  public record Sent(long sent, double seconds, long demands) implements CborSerializable {}

  public static Behavior<Command> create() {
    return Behaviors.setup(FastProducer::new);
  }

  private ActorRef<SlowConsumer.Command> consumer;
  private ActorRef<Sent> replyTo;
  private long count;
  private long sent;
  private long demands;
  private long startNanos;

  private FastProducer(ActorContext<Command> context) {
    super(context);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Flood.class, this::onFlood)
        .onMessage(Pull.class, this::onPull)
        .onMessage(Demand.class, this::onDemand)
        .onMessageEquals(
            Finish.INSTANCE,
            () -> {
              if (consumer != null) consumer.tell(SlowConsumer.Finish.INSTANCE);
              return this;
            })
        .build();
  }

  private Behavior<Command> onFlood(Flood flood) {
    consumer = flood.consumer();
    long start = System.nanoTime();
    for (long seq = 0; seq < flood.count(); seq++)
      flood.consumer().tell(new SlowConsumer.Work(seq));
    flood.replyTo().tell(new Sent(flood.count(), (System.nanoTime() - start) / 1e9, 0));
    return this;
  }

  private Behavior<Command> onPull(Pull pull) {
    consumer = pull.consumer();
    replyTo = pull.replyTo();
    count = pull.count();
    sent = 0;
    demands = 0;
    startNanos = System.nanoTime();
    consumer.tell(new SlowConsumer.PullFrom(getContext().getSelf()));
    return this;
  }

  private Behavior<Command> onDemand(Demand demand) {
    if (consumer == null || sent >= count) return this;
    demands++;
    long until = Math.min(count, sent + demand.count());
    while (sent < until) consumer.tell(new SlowConsumer.Work(sent++));
    if (sent == count)
      replyTo.tell(new Sent(sent, (System.nanoTime() - startNanos) / 1e9, demands));
    return this;
  }
}
