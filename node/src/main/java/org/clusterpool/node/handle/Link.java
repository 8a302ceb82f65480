package org.clusterpool.node.handle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.clusterpool.node.wire.CborSerializable;

/**
 * One side of a conversation between two actors that survives lost and repeated messages: a queue
 * and each of its handles, and the two ends of a pipe, talk through one of these on each side.
 * Above it, each message is taken once and in the order it was sent, as long as both sides live.
 *
 * <p>Between two live cluster members Artery keeps messages in order and loses none, except one
 * larger than its frame, one that fails to serialize, and those in flight when the connection is
 * quarantined or restarted; and a message sent again by a link may arrive twice. So:
 *
 * <ul>
 *   <li>Each side numbers what it sends (1, 2, ...) and keeps each message until the other side
 *       confirms it.
 *   <li>Each message carries the highest number its sender has taken in order (its {@code ack}); a
 *       {@link Sync} carries the same with nothing else. Both are state, not deltas: a lost one is
 *       made good by the next, a repeated one changes nothing.
 *   <li>A side takes a message only when it is the next one: one taken already is a repeat, one
 *       further on comes after a lost one; either is dropped, and the other side is told where this
 *       one stands.
 *   <li>A message unconfirmed for {@code resendAfter} makes its side ask for the other's state
 *       ({@link Sync} with {@code reply}); the answer says what arrived, and what did not is sent
 *       again, in order. A message that arrived is not sent again for a missing confirmation alone,
 *       so a large one that waits at the other side (a put into a full queue) is not sent twice.
 *   <li>Nothing waits for ever: a message still unconfirmed after {@code giveUpAfter} ends the
 *       link, and so does a peer silent that long while the owner waits for it (it then asks every
 *       {@code resendAfter}, so a live peer is never silent). A peer that answers {@link
 *       Sync#unknown()} after it took messages of this one has lost this conversation (it gave up
 *       on it): the link ends too. The owner then treats the peer as gone.
 * </ul>
 *
 * <p>Not thread-safe: it lives inside one actor, which calls {@link #tick} on a timer.
 *
 * @param <B> what this side sends
 */
public final class Link<B> {

  /**
   * A side's state: the highest number it sent, the highest it took in order. {@code reply}: the
   * other side answers with its own (a reply never asks for one, so two sides never echo each
   * other).
   */
  public record Sync(long sent, long received, boolean reply) implements CborSerializable {
    /**
     * The answer of a side that does not know the conversation it is asked about (it never began,
     * or was given up).
     */
    public static Sync unknown() {
      return new Sync(-1, -1, false);
    }

    public boolean saysUnknown() {
      return sent < 0;
    }
  }

  /**
   * How a link reaches the other side: the owner wraps the numbered message, or the state, in its
   * own message.
   */
  public interface Wire<B> {
    void send(long seq, long ack, B body);

    void sync(Sync state);
  }

  private static final class Outgoing<B> {
    final long seq;
    final B body;
    final long firstSent;
    long lastSent;

    Outgoing(long seq, B body, long now) {
      this.seq = seq;
      this.body = body;
      this.firstSent = now;
      this.lastSent = now;
    }
  }

  private final Wire<B> wire;
  private final long resendNanos;
  private final long giveUpNanos;
  private final Duration giveUpAfter;
  private final Deque<Outgoing<B>> unconfirmed = new ArrayDeque<>();
  private long sent;
  private long confirmed;
  private long received;
  private long lastHeard;
  private long lastSync;

  /**
   * The position last told to the other side after a repeat or a gap, so that a burst of them is
   * told once.
   */
  private long noticed = -1;

  private long resent;
  private String dead;

  public Link(Wire<B> wire, Duration resendAfter, Duration giveUpAfter) {
    this.wire = wire;
    this.resendNanos = resendAfter.toNanos();
    this.giveUpNanos = giveUpAfter.toNanos();
    this.giveUpAfter = giveUpAfter;
    this.lastHeard = System.nanoTime();
    this.lastSync = lastHeard - resendNanos;
  }

  /**
   * Numbers {@code body}, keeps it until confirmed, and sends it. Nothing once the link has ended.
   */
  public void send(B body) {
    if (dead != null) return;
    Outgoing<B> out = new Outgoing<>(++sent, body, System.nanoTime());
    unconfirmed.add(out);
    wire.send(out.seq, received, body);
  }

  /**
   * A numbered message from the other side: true when it is the next one, to be applied now; false
   * for a repeat or a message after a lost one, which the owner drops (it comes again, in order).
   */
  public boolean accept(long seq, long ack) {
    if (dead != null) return false;
    lastHeard = System.nanoTime();
    confirm(ack);
    if (seq == received + 1) {
      received = seq;
      return true;
    }
    if (noticed != received) {
      noticed = received;
      wire.sync(state(false));
    }
    return false;
  }

  /**
   * The other side's state: confirms what it took, sends again what it lacks, and answers when
   * asked.
   */
  public void onSync(Sync other) {
    if (dead != null) {
      if (other.reply())
        wire.sync(Sync.unknown()); // so that the other side ends too, without waiting as long
      return;
    }
    lastHeard = System.nanoTime();
    if (other.saysUnknown()) {
      // it never took this side's first message (send it again), or it gave up on this conversation
      if (confirmed > 0 || received > 0)
        dead = "the other side no longer knows this conversation (it gave up on it)";
      else resendUnconfirmed();
      return;
    }
    confirm(other.received());
    if (other.received() < sent) resendUnconfirmed();
    if (other.reply()) wire.sync(state(false));
  }

  /**
   * Called every {@code resendAfter} or so. {@code awaiting}: the owner waits for the other side
   * (an answer, room, a message), so a silent peer must be noticed even when nothing is
   * unconfirmed.
   */
  public void tick(boolean awaiting) {
    if (dead != null) return;
    long now = System.nanoTime();
    Outgoing<B> oldest = unconfirmed.peekFirst();
    if (oldest != null && now - oldest.firstSent >= giveUpNanos) {
      dead = "message " + oldest.seq + " was not confirmed for " + seconds(giveUpAfter);
      return;
    }
    if (awaiting && now - lastHeard >= giveUpNanos) {
      dead = "the other side did not answer for " + seconds(giveUpAfter);
      return;
    }
    boolean overdue = oldest != null && now - oldest.lastSent >= resendNanos;
    boolean quiet = awaiting && now - lastHeard >= resendNanos;
    if ((overdue || quiet) && now - lastSync >= resendNanos) {
      lastSync = now;
      wire.sync(state(true));
    }
  }

  /**
   * Asks the other side for its state now, if anything waits for its confirmation (an owner about
   * to stop).
   */
  public void flush() {
    if (dead != null || unconfirmed.isEmpty()) return;
    lastSync = System.nanoTime();
    wire.sync(state(true));
  }

  /** Messages sent and not yet confirmed. */
  public int unconfirmed() {
    return unconfirmed.size();
  }

  /** Messages sent again because the other side had not taken them. */
  public long resent() {
    return resent;
  }

  /** Why the link ended, or null while it lives. */
  public String dead() {
    return dead;
  }

  private Sync state(boolean reply) {
    return new Sync(sent, received, reply);
  }

  private void confirm(long ack) {
    if (ack <= confirmed) return;
    confirmed = Math.min(ack, sent);
    while (!unconfirmed.isEmpty() && unconfirmed.peekFirst().seq <= confirmed)
      unconfirmed.pollFirst();
  }

  /**
   * Sends again, in order, everything the other side has not confirmed, unless the first of it went
   * out less than {@code resendAfter} ago: then it may well be on its way, and the next tick asks
   * again.
   */
  private void resendUnconfirmed() {
    Outgoing<B> first = unconfirmed.peekFirst();
    long now = System.nanoTime();
    if (first == null || now - first.lastSent < resendNanos) return;
    for (Outgoing<B> out : unconfirmed) {
      out.lastSent = now;
      resent++;
      wire.send(out.seq, received, out.body);
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
