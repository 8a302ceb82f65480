package org.clusterpool.exercises.wordcount;

import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.clusterpool.node.wire.CborSerializable;

/**
 * A worker of the pool: counts the chunks it is sent into a plain {@link HashMap} that nobody else
 * can see, so it needs no lock, and when asked, sends its whole map in one message. Like a process
 * of a {@code Pool}, it could live in another JVM: the chunks and the map are data, copied in
 * messages.
 */
final class ChunkCounter extends AbstractBehavior<ChunkCounter.Command> {

  sealed interface Command permits CountChunk, Report {}

  /** One chunk of text to count: the map step's input. */
  record CountChunk(String text) implements Command, CborSerializable {}

  record Report(ActorRef<Counts> replyTo) implements Command, CborSerializable {}

  /** This worker's counts, all of them, in one message. */
  record Counts(Map<String, Long> counts) implements CborSerializable {}

  static Behavior<Command> create() {
    return Behaviors.setup(ChunkCounter::new);
  }

  private final Map<String, Long> counts = new HashMap<>();

  private ChunkCounter(ActorContext<Command> context) {
    super(context);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(CountChunk.class, this::onCountChunk)
        .onMessage(Report.class, this::onReport)
        .build();
  }

  private Behavior<Command> onCountChunk(CountChunk chunk) {
    Words.each(chunk.text(), word -> counts.merge(word, 1L, Long::sum));
    return this;
  }

  private Behavior<Command> onReport(Report report) {
    report.replyTo().tell(new Counts(new HashMap<>(counts)));
    return this;
  }
}
