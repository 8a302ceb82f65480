package org.clusterpool.node.pipe;

import java.io.EOFException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.handle.ItemBudget;
import org.clusterpool.node.handle.PendingCalls;
import org.clusterpool.node.handle.Waits;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.wire.Values;

/**
 * One end of a {@link Pipe}, like the {@code Connection} objects Python's {@code Pipe()} returns:
 * {@code send}, {@code recv}, {@code poll}, {@code close}. Thread-safe; the blocking calls answer
 * interrupts.
 */
public final class Connection<T> {
  private final ActorRef<PipeEnd.Command> end;
  private final Route route;
  private final String name;
  private final Pipe.End side;
  private final boolean duplex;
  private final ValueType<T> type;
  private final PendingCalls calls;
  private final ItemBudget budget;

  Connection(
      ActorRef<PipeEnd.Command> end,
      Route route,
      String name,
      Pipe.End side,
      boolean duplex,
      ValueType<T> type,
      PendingCalls calls,
      ItemBudget budget) {
    this.end = end;
    this.route = route;
    this.name = name;
    this.side = side;
    this.duplex = duplex;
    this.type = type;
    this.calls = calls;
    this.budget = budget;
  }

  public String name() {
    return name;
  }

  public Pipe.End side() {
    return side;
  }

  public boolean duplex() {
    return duplex;
  }

  /** Python's {@code conn.writable}: false for the first end of a one-way pipe. */
  public boolean writable() {
    return duplex || side == Pipe.End.SECOND;
  }

  /** Python's {@code conn.readable}: false for the second end of a one-way pipe. */
  public boolean readable() {
    return duplex || side == Pipe.End.FIRST;
  }

  /**
   * Whether the two ends talk over a direct connection of their own (JVMs of one machine), rather
   * than through the cluster: false until they have chosen, which they do before the first message
   * flows.
   */
  public boolean directConnection() {
    return route.direct();
  }

  /**
   * {@code conn.send(obj)}: waits only while the other end's buffer is full, or until it has opened
   * (for at most {@code clusterpool.pipe.give-up-after}, then {@link PipeUnavailableException}).
   */
  public void send(T item) throws InterruptedException {
    answerInterrupt();
    Waits.await(sendCall(item, Waits.FOREVER));
  }

  /**
   * As {@link #send(Object)}, giving up after {@code timeout}: false, and then the message was not
   * sent. A timeout longer than {@link Waits#LONGEST} (24 days, however long) waits that long, as
   * good as without end.
   */
  public boolean send(T item, Duration timeout) throws InterruptedException {
    answerInterrupt();
    try {
      Waits.await(sendCall(item, Waits.millis(timeout)), TimeoutException.class);
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }

  public CompletionStage<Void> sendAsync(T item) {
    return sendCall(item, Waits.FOREVER);
  }

  private CompletableFuture<Void> sendCall(T item, long timeoutMillis) {
    Objects.requireNonNull(item, "item");
    if (!writable()) {
      throw new IllegalStateException(
          "the first end of the one-way pipe '"
              + name
              + "' only receives (as with Pipe(duplex=False))");
    }
    Values value = budget.check(type.encode(List.of(item)));
    CompletableFuture<Void> result = calls.track(new CompletableFuture<>());
    route.call(new PipeEnd.SendCall(value, timeoutMillis, System.nanoTime(), result));
    return result;
  }

  /**
   * {@code conn.recv()}: the next message, waiting for it. Once the other end has closed and
   * everything it sent has been read, {@link EOFException} (Python's {@code EOFError}). An other
   * end that nobody opens within {@code clusterpool.pipe.give-up-after}: {@link
   * PipeUnavailableException}.
   */
  public T recv() throws EOFException, InterruptedException {
    answerInterrupt();
    CompletableFuture<T> call = recvCall(false);
    try {
      route.readUntil(
          call); // over a direct connection, this thread reads the socket itself when nobody else
      // does
    } catch (InterruptedException e) {
      call.cancel(false);
      throw e;
    }
    return Waits.await(call, EOFException.class);
  }

  /**
   * As {@link #recv()}; cancelling the stage before it completes leaves the message for the next
   * recv.
   */
  public CompletionStage<T> recvAsync() {
    return recvCall(true);
  }

  private CompletableFuture<T> recvCall(boolean async) {
    if (!readable()) {
      throw new IllegalStateException(
          "the second end of the one-way pipe '"
              + name
              + "' only sends (as with Pipe(duplex=False))");
    }
    CompletableFuture<T> result = calls.track(new CompletableFuture<>());
    route.call(new PipeEnd.RecvCall<>(values -> type.decode(values, 0), result, async));
    return result;
  }

  /**
   * {@code conn.poll()}: whether a recv would return at once (a message is there, or EOF). Does not
   * wait.
   */
  public boolean poll() throws InterruptedException {
    return poll(Duration.ZERO);
  }

  /**
   * {@code conn.poll(timeout)}: waits up to {@code timeout} for a message (or EOF); null waits as
   * long as it takes, or {@code clusterpool.pipe.give-up-after} for an other end that nobody opens
   * ({@link PipeUnavailableException}); one longer than {@link Waits#LONGEST} (24 days, however
   * long) waits that long, as good as without end.
   */
  public boolean poll(Duration timeout) throws InterruptedException {
    answerInterrupt();
    CompletableFuture<Boolean> result = calls.track(new CompletableFuture<>());
    route.call(new PipeEnd.PollCall(Waits.millis(timeout), System.nanoTime(), result));
    return Waits.await(result);
  }

  /**
   * A blocking call made by an interrupted thread does nothing and throws, whether or not it would
   * have waited: a send over a direct connection is written before it could notice the interrupt
   * while waiting.
   */
  private static void answerInterrupt() throws InterruptedException {
    if (Thread.interrupted()) throw new InterruptedException();
  }

  /**
   * {@code conn.close()}: the other end reads what was sent, then gets EOF. Closing twice does
   * nothing.
   */
  public void close() {
    if (calls.stopped() != null) return;
    CompletableFuture<Void> result = calls.track(new CompletableFuture<>());
    end.tell(new PipeEnd.CloseCall(result));
    try {
      Waits.join(result);
    } catch (PipeClosedException closedMeanwhile) {
      // closed by another thread meanwhile: closed is what was asked
    }
  }

  @Override
  public String toString() {
    return "Connection(" + name + ", " + side + (duplex ? ", duplex)" : ", one-way)");
  }
}
