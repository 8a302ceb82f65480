package org.clusterpool.coordinator.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * {@code GET /ui/events}: a {@code snapshot} event every {@link #PERIOD} while the page is open,
 * and a comment every {@link #KEEP_ALIVE} so that no proxy closes a quiet connection. Each
 * connection's stream is a tick, on the same 500 ms grid for all, that asks the shared {@link
 * Snapshots}: when the page goes, the stream stops and with it the tick, so a closed page costs
 * nothing. A slow page gets fewer events, never a growing buffer (a tick that finds the page busy
 * is dropped).
 */
public final class Feed {
  static final Duration PERIOD = Duration.ofMillis(500);
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  /** Pages open at once at most: each costs a connection and its events. */
  static final int MAX_CONNECTIONS = 64;

  /** Spans an event carries at most (the newest, when more are new). */
  static final int MAX_SPANS = 500;

  /**
   * How long a reserved slot waits for its stream to start: a response that is never sent (its
   * client went before) never starts its stream, and must not hold a slot for ever.
   */
  static final Duration START_WITHIN = Duration.ofSeconds(10);

  private final Snapshots snapshots;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong events = new AtomicLong();
  private final Duration startWithin;

  public Feed(Snapshots snapshots) {
    this(snapshots, START_WITHIN);
  }

  Feed(Snapshots snapshots, Duration startWithin) {
    this.snapshots = snapshots;
    this.startWithin = startWithin;
  }

  /**
   * A comment line: what keeps a quiet connection open, and what a browser's EventSource ignores.
   */
  private static final ByteString KEEP_ALIVE_COMMENT = ByteString.fromString(": keep-alive\n\n");

  /**
   * The events of one new connection, written as {@code text/event-stream}, or empty when {@link
   * #MAX_CONNECTIONS} are open. The slot is taken here, before the response goes out, so that a
   * burst of connections cannot pass the limit while their streams are still starting; it is given
   * back when the stream ends. Written here rather than by Pekko's marshaller, whose keep-alive is
   * an empty {@code data:} event (which a browser dispatches as a message) where the format has a
   * comment for it.
   */
  Optional<Source<ByteString, NotUsed>> connect() {
    if (!reserve()) return Optional.empty();
    Slot slot = new Slot();
    CompletableFuture.delayedExecutor(startWithin.toMillis(), TimeUnit.MILLISECONDS)
        .execute(slot::giveBackUnstarted);
    Connection connection = new Connection();
    // the first event at once, then on the wall clock's 500 ms grid: every page ticks at the same
    // moments, so that
    // they all get the snapshot made for the first of them
    long phase = PERIOD.toMillis() - System.currentTimeMillis() % PERIOD.toMillis();
    Source<ByteString, NotUsed> source =
        Source.single(NotUsed.getInstance())
            .concat(Source.tick(Duration.ofMillis(phase), PERIOD, NotUsed.getInstance()))
            .mapAsync(1, tick -> snapshots.current())
            .map(
                snapshot -> {
                  events.incrementAndGet();
                  return ByteString.fromString(
                      "event: snapshot\ndata: "
                          + connection.render(snapshot)
                          + "\n\n"); // JSON: one line
                })
            .keepAlive(KEEP_ALIVE, () -> KEEP_ALIVE_COMMENT)
            .watchTermination(
                (cancellable, done) -> {
                  slot.started();
                  done.whenComplete((d, e) -> slot.giveBack());
                  return NotUsed.getInstance();
                });
    return Optional.of(source);
  }

  /** One more connection, unless {@link #MAX_CONNECTIONS} are open or starting. */
  private boolean reserve() {
    while (true) {
      int now = open.get();
      if (now >= MAX_CONNECTIONS) return false;
      if (open.compareAndSet(now, now + 1)) return true;
    }
  }

  /**
   * One connection's place in {@link #open}: given back once, when its stream ends or when it never
   * started.
   */
  private final class Slot {
    private static final int RESERVED = 0;
    private static final int RUNNING = 1;
    private static final int GIVEN_BACK = 2;
    private final AtomicInteger state = new AtomicInteger(RESERVED);

    void started() {
      // a stream that starts after its slot was given back counts again while it runs, so that open
      // stays the truth
      if (!state.compareAndSet(RESERVED, RUNNING) && state.compareAndSet(GIVEN_BACK, RUNNING))
        open.incrementAndGet();
    }

    void giveBack() {
      if (state.compareAndSet(RUNNING, GIVEN_BACK)) open.decrementAndGet();
    }

    void giveBackUnstarted() {
      if (state.compareAndSet(RESERVED, GIVEN_BACK)) open.decrementAndGet();
    }
  }

  /** Connections open now. */
  public int open() {
    return open.get();
  }

  /** Events sent on all connections since the API started. */
  public long events() {
    return events.get();
  }

  /** What one connection has sent of the spans: each event carries only those new to it. */
  static final class Connection {
    private long sentSeq = -1;

    /**
     * The snapshot's JSON with the spans this connection has not had (the first: the last
     * minute's).
     */
    String render(Snapshot snapshot) {
      List<SpanLog.Row> rows = snapshot.spans();
      int from = 0;
      if (sentSeq >= 0) {
        while (from < rows.size() && rows.get(from).seq() <= sentSeq) from++;
      } else {
        long since = snapshot.atMillis() - SpanLog.KEEP_MILLIS;
        while (from < rows.size() && rows.get(from).endMillis() < since) from++;
      }
      from = Math.max(from, rows.size() - MAX_SPANS);
      sentSeq = Math.max(sentSeq, snapshot.lastSeq());
      String text = snapshot.jsonText();
      StringBuilder out = new StringBuilder(text.length() + 160 * (rows.size() - from) + 16);
      out.append(text, 0, text.length() - 1).append(",\"spans\":[");
      for (int i = from; i < rows.size(); i++) {
        if (i > from) out.append(',');
        out.append(rows.get(i).json());
      }
      return out.append("]}").toString();
    }
  }
}
