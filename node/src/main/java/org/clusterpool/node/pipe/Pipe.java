package org.clusterpool.node.pipe;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.InvalidActorNameException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.clusterpool.node.handle.ItemBudget;
import org.clusterpool.node.handle.Names;
import org.clusterpool.node.handle.PendingCalls;
import org.clusterpool.node.task.ValueType;

/**
 * Python's {@code multiprocessing.Pipe(duplex)}: two connected ends. In Python the parent creates
 * both and hands one to the child process; here each JVM opens its end by the pipe's name, and the
 * two find each other in the cluster.
 *
 * <pre>{@code
 * // this JVM                                                          // a task on a worker JVM
 * Connection<Long> a = Pipe.open(system, "ping", LONG, Pipe.End.FIRST); Connection<Long> b = Pipe.open(context.system(), "ping", LONG, Pipe.End.SECOND);
 * a.send(1L);                                                           long x = b.recv(); b.send(x);
 * long echo = a.recv();
 * }</pre>
 *
 * <p><b>Guarantees.</b> Messages of one direction arrive in the order they were sent, each once:
 * through the cluster, the ends number and confirm what they send each other, send again what the
 * transport lost and take a repeat once; between two JVMs of one machine they talk over a direct
 * connection of their own (a Unix domain socket, see {@link Connection#directConnection()} and
 * {@code clusterpool.pipe.direct}), which loses and repeats nothing. A send returns once its
 * message is on its way into the other end's buffer ({@code clusterpool.pipe.buffer} unread
 * messages); it waits while that buffer is full, or while the other end has not opened yet: a call
 * without a timeout of its own (recv, send, {@code poll(null)}) that waited {@code
 * clusterpool.pipe.give-up-after} for an other end nobody opened fails with {@link
 * PipeUnavailableException}, and the end stays open. After the other end closes, this end reads
 * what it had sent and then gets {@link java.io.EOFException}; a send to it fails with {@link
 * PipeClosedException} (a broken pipe), as does any call on an end already closed. An end whose
 * node leaves the cluster, or that does not answer for {@code clusterpool.pipe.give-up-after},
 * counts as closed; messages sent to it and not yet read are lost with it. A message larger than
 * {@code clusterpool.pipe.max-message-bytes} on the wire fails its send at once with {@link
 * IllegalArgumentException}. A blocking call made by an interrupted thread throws {@link
 * InterruptedException} and does nothing.
 *
 * @param first in a one-way pipe, the end that receives (as in Python)
 * @param second in a one-way pipe, the end that sends
 */
public record Pipe<T>(Connection<T> first, Connection<T> second) {

  private static final AtomicLong OPENED = new AtomicLong();

  public enum End {
    FIRST,
    SECOND;

    public End other() {
      return this == FIRST ? SECOND : FIRST;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * {@code a, b = Pipe(duplex)} with both ends in this JVM, as Python creates them before handing
   * one on.
   */
  public static <T> Pipe<T> create(
      ActorSystem<?> system, String name, ValueType<T> type, boolean duplex) {
    Connection<T> first = open(system, name, type, End.FIRST, duplex);
    return new Pipe<>(first, open(system, name, type, End.SECOND, duplex));
  }

  /**
   * Opens one end of the duplex pipe {@code name}; the other end may open before or after, on any
   * node.
   */
  public static <T> Connection<T> open(
      ActorSystem<?> system, String name, ValueType<T> type, End end) {
    return open(system, name, type, end, true);
  }

  /**
   * Opens one end of the pipe {@code name}. Both ends must agree on the type and on {@code duplex};
   * a mismatch makes the calls of the later end fail with an error that says so. An end opened
   * twice (here or on another member) is refused at the later opening: its calls fail with {@link
   * IllegalStateException} ("end FIRST of pipe 'ping' is already open on HOST:PORT ..."), and the
   * earlier end works on. Returns at once.
   */
  public static <T> Connection<T> open(
      ActorSystem<?> system, String name, ValueType<T> type, End end, boolean duplex) {
    Names.check("pipe", name);
    PendingCalls calls = new PendingCalls();
    PipeSettings settings = PipeSettings.fromConfig(system.settings().config());
    Route route = new Route();
    ActorRef<PipeEnd.Command> actor;
    try {
      actor =
          system.systemActorOf(
              PipeEnd.create(name, end, type.name(), duplex, settings, calls, route),
              "pipe-"
                  + name
                  + "-"
                  + end.label()
                  + "-"
                  + openedMillis()
                  + "-"
                  + OPENED.incrementAndGet(),
              Props.empty());
    } catch (InvalidActorNameException e) {
      throw new IllegalArgumentException(
          "pipe name '" + name + "' cannot name an actor: " + e.getMessage());
    }
    route.bind(actor);
    ItemBudget budget =
        new ItemBudget(
            system,
            settings.maxMessageBytes(),
            "clusterpool.pipe.max-message-bytes",
            "a message of pipe '" + name + "'");
    return new Connection<>(actor, route, name, end, duplex, type, calls, budget);
  }

  private static final long ORIGIN_MILLIS = System.currentTimeMillis();
  private static final long ORIGIN_NANOS = System.nanoTime();

  /**
   * The wall clock's time, as it was at this class's start plus the monotonic time since: it orders
   * ends opened on several machines about as their clocks do, and never steps back within a JVM (a
   * clock set back would otherwise make a later opening look earlier).
   */
  private static long openedMillis() {
    return ORIGIN_MILLIS + (System.nanoTime() - ORIGIN_NANOS) / 1_000_000;
  }
}
