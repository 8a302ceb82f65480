package org.clusterpool.node.handle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One side of a link, with what it puts on the wire recorded: the rules of {@link Link}, one by
 * one.
 */
class LinkTest {

  private static final Duration LONG = Duration.ofHours(1);
  private static final Duration SHORT = Duration.ofMillis(20);

  /** A message this side sent, as it went on the wire. */
  private record Sent(long seq, long ack, String body) {}

  private final List<Sent> sent = new ArrayList<>();
  private final List<Link.Sync> syncs = new ArrayList<>();

  private Link<String> link(Duration resendAfter, Duration giveUpAfter) {
    return new Link<>(
        new Link.Wire<>() {
          @Override
          public void send(long seq, long ack, String body) {
            sent.add(new Sent(seq, ack, body));
          }

          @Override
          public void sync(Link.Sync state) {
            syncs.add(state);
          }
        },
        resendAfter,
        giveUpAfter);
  }

  private static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis() + 10);
  }

  @Test
  void takesEachMessageOnceInOrderAndSaysWhereItStandsOncePerPosition() {
    Link<String> link = link(LONG, LONG);
    assertTrue(link.accept(1, 0));
    assertFalse(link.accept(1, 0), "a repeat");
    assertEquals(List.of(new Link.Sync(0, 1, false)), syncs, "told once where this side stands");
    assertTrue(link.accept(2, 0));
    assertFalse(link.accept(4, 0), "after a lost one");
    assertFalse(link.accept(5, 0));
    assertEquals(new Link.Sync(0, 2, false), syncs.get(1));
    assertEquals(2, syncs.size(), "a burst after one loss is told once");
    assertTrue(link.accept(3, 0), "the lost one, sent again");
    link.send("x");
    assertEquals(new Sent(1, 3, "x"), sent.get(0), "every message carries what this side took");
  }

  @Test
  void confirmationsAreStateThatNeitherALossNorARepeatSkews() {
    Link<String> link = link(LONG, LONG);
    link.send("a");
    link.send("b");
    link.send("c");
    assertTrue(link.accept(1, 2));
    assertEquals(1, link.unconfirmed());
    assertTrue(link.accept(2, 1), "an older confirmation changes nothing");
    assertEquals(1, link.unconfirmed());
    link.onSync(new Link.Sync(2, 3, false));
    assertEquals(0, link.unconfirmed());
    link.onSync(new Link.Sync(2, 3, false));
    assertEquals(0, link.unconfirmed());
    assertEquals(0, link.resent());
  }

  @Test
  void sendsAgainInOrderOnlyWhatTheOtherSideLacksAndOnlyOnceOverdue() throws Exception {
    Link<String> inFlight = link(LONG, LONG);
    inFlight.send("a");
    inFlight.send("b");
    inFlight.onSync(new Link.Sync(0, 0, false));
    assertEquals(2, sent.size(), "just sent: on its way, not sent again");
    sent.clear();

    Link<String> link = link(SHORT, LONG);
    link.send("a");
    link.send("b");
    link.send("c");
    sleep(SHORT);
    link.onSync(new Link.Sync(0, 1, false));
    assertEquals(
        List.of(new Sent(2, 0, "b"), new Sent(3, 0, "c")),
        sent.subList(3, sent.size()),
        "what did not arrive, in order");
    assertEquals(2, link.resent());
    link.onSync(new Link.Sync(0, 1, false));
    assertEquals(5, sent.size(), "not again until it is overdue again");
  }

  @Test
  void asksForTheOtherSidesStateWhenAConfirmationIsOverdueOrAnAwaitedPeerIsQuiet()
      throws Exception {
    Link<String> link = link(SHORT, LONG);
    link.tick(false);
    assertTrue(syncs.isEmpty(), "nothing to ask about");
    link.send("a");
    sleep(SHORT);
    link.tick(false);
    link.tick(false);
    assertEquals(List.of(new Link.Sync(1, 0, true)), syncs, "asked once per interval");
    link.onSync(new Link.Sync(0, 1, false));
    sleep(SHORT);
    link.tick(true);
    assertEquals(
        new Link.Sync(1, 0, true),
        syncs.get(1),
        "a quiet peer is asked while the owner waits for it");
    assertNull(link.dead());
  }

  @Test
  void answersWhenAskedAndOnlyThen() {
    Link<String> link = link(LONG, LONG);
    link.onSync(new Link.Sync(0, 0, false));
    assertTrue(syncs.isEmpty());
    link.onSync(new Link.Sync(0, 0, true));
    assertEquals(List.of(new Link.Sync(0, 0, false)), syncs);
  }

  @Test
  void givesUpOnAMessageUnconfirmedTooLongOrOnAPeerSilentWhileAwaited() throws Exception {
    Link<String> unconfirmed = link(SHORT, Duration.ofMillis(60));
    unconfirmed.send("a");
    sleep(Duration.ofMillis(60));
    unconfirmed.tick(false);
    assertEquals("message 1 was not confirmed for 60 ms", unconfirmed.dead());
    unconfirmed.send("b");
    assertEquals(1, sent.size(), "a link that ended sends nothing more");

    Link<String> silent = link(SHORT, Duration.ofMillis(60));
    sleep(Duration.ofMillis(60));
    silent.tick(false);
    assertNull(silent.dead(), "nothing awaited, nothing unconfirmed: a quiet peer is fine");
    silent.tick(true);
    assertEquals("the other side did not answer for 60 ms", silent.dead());
    silent.onSync(new Link.Sync(0, 0, true));
    assertEquals(
        Link.Sync.unknown(),
        syncs.get(syncs.size() - 1),
        "and says so to the other side when asked");
  }

  @Test
  void aPeerThatNoLongerKnowsTheConversationEndsItUnlessItNeverBegan() throws Exception {
    Link<String> neverBegan = link(SHORT, LONG);
    neverBegan.send("hello");
    sleep(SHORT);
    neverBegan.onSync(Link.Sync.unknown());
    assertNull(neverBegan.dead());
    assertEquals(new Sent(1, 0, "hello"), sent.get(1), "the first message was lost: sent again");

    Link<String> forgotten = link(SHORT, LONG);
    forgotten.send("hello");
    assertTrue(forgotten.accept(1, 1));
    forgotten.onSync(Link.Sync.unknown());
    assertEquals(
        "the other side no longer knows this conversation (it gave up on it)", forgotten.dead());
  }

  @Test
  void flushAsksAtOnceOnlyWhenSomethingWaitsForConfirmation() {
    Link<String> link = link(LONG, LONG);
    link.flush();
    assertTrue(syncs.isEmpty());
    link.send("a");
    link.flush();
    assertEquals(List.of(new Link.Sync(1, 0, true)), syncs);
  }
}
