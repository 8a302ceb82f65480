package org.clusterpool.node.directlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.clusterpool.node.pipe.FrameSocket;
import org.clusterpool.node.pipe.SocketFolder;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.testing.TestMembers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two cluster members of this JVM (actor systems with addresses of their own, over mutual TLS),
 * joined by a direct link as a coordinator JVM and a worker JVM it started are: what each tells the
 * other takes the link (its counts prove it), arrives in order and once, with the real serializer;
 * only a token given out lets a connection in, once; a link ends when its member is downed.
 */
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class DirectLinksTest {

  private final TestMembers members = new TestMembers("links");
  private ActorSystem<Void> coordinator;
  private ActorSystem<Void> worker;
  private LinkListener listener;

  @BeforeAll
  void startMembers() throws InterruptedException {
    coordinator = members.member(null);
    worker = members.member(coordinator);
    listener = LinkListener.open("").orElseThrow();
    listener.attach(coordinator);
    assertTrue(
        LinkDial.open(worker, coordinator.address().toString(), invitation()),
        "the worker's side opens the link");
    awaitLinked(coordinator, worker.address());
  }

  @AfterAll
  void stopMembers() {
    if (listener != null) listener.close();
    members.close();
  }

  private String invitation() {
    return listener.invitation().get(LinkListener.VARIABLE);
  }

  private static void awaitLinked(ActorSystem<?> system, Address remote)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!DirectLinks.get(system).linked(remote)) {
      assertTrue(System.nanoTime() < deadline, "no link to " + remote + " after 10 s");
      Thread.sleep(10);
    }
  }

  /** {@code ref}, a recipient of {@code owner}, as {@code sender} names it. */
  private static <T> ActorRef<T> seenFrom(
      ActorSystem<?> sender, ActorSystem<?> owner, ActorRef<T> ref) {
    return ActorRefResolver.get(sender)
        .resolveActorRef(ActorRefResolver.get(owner).toSerializationFormat(ref));
  }

  private static DirectLinks.Counts counts(ActorSystem<?> system, Address remote) {
    return DirectLinks.get(system).counts().stream()
        .filter(c -> c.remote().equals(remote))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no link to " + remote));
  }

  private static void sendAndExpectInOrder(
      ActorSystem<?> from, ActorSystem<?> to, int count, int bytes) {
    TestProbe<WorkerProtocol.NodeCommand> probe = TestProbe.create(to);
    ActorRef<WorkerProtocol.NodeCommand> recipient = seenFrom(from, to, probe.ref());
    String padding = "x".repeat(bytes);
    long sentBefore = counts(from, to.address()).sent();
    long receivedBefore = counts(to, from.address()).received();
    for (int i = 0; i < count; i++)
      DirectLinks.get(from).tell(recipient, new WorkerProtocol.StopJob("job-" + i + padding));
    for (int i = 0; i < count; i++) {
      WorkerProtocol.StopJob stop =
          (WorkerProtocol.StopJob)
              probe.expectMessageClass(WorkerProtocol.StopJob.class, Duration.ofSeconds(30));
      assertEquals("job-" + i + padding, stop.jobId(), "in the order told");
    }
    probe.expectNoMessage(Duration.ofMillis(200));
    assertEquals(count, counts(from, to.address()).sent() - sentBefore, "each went over the link");
    assertEquals(
        count, counts(to, from.address()).received() - receivedBefore, "each came over it");
  }

  @Test
  void messagesEachWayTakeTheLinkAndArriveInOrderOnce() {
    sendAndExpectInOrder(coordinator, worker, 2000, 0);
    sendAndExpectInOrder(worker, coordinator, 2000, 0);
  }

  /**
   * 300 messages of 100 KB are more than the socket holds while the other side reads them: the rest
   * waits in the link's queue, behind what was begun, and still arrives in order.
   */
  @Test
  void largeMessagesThatFillTheSocketArriveInOrderOnce() {
    sendAndExpectInOrder(coordinator, worker, 300, 100_000);
    sendAndExpectInOrder(worker, coordinator, 300, 100_000);
  }

  /**
   * A message the serializer cannot write (here one of a class with no serializer, which Artery
   * drops too) is dropped alone, with a line in the log: it neither fails its sender nor ends the
   * link.
   */
  @Test
  void aMessageThatCannotBeSerializedIsDroppedAloneAndTheLinkGoesOn() {
    TestProbe<Object> probe = TestProbe.create(worker);
    ActorRef<Object> recipient = seenFrom(coordinator, worker, probe.ref());
    long droppedBefore = counts(coordinator, worker.address()).dropped();
    DirectLinks.get(coordinator).tell(recipient, new Object());
    assertEquals(droppedBefore + 1, counts(coordinator, worker.address()).dropped());
    assertTrue(counts(coordinator, worker.address()).open());
    probe.expectNoMessage(Duration.ofMillis(200));
    sendAndExpectInOrder(coordinator, worker, 10, 0);
  }

  @Test
  void onlyATokenGivenOutLetsAConnectionInAndOnlyOnce() throws Exception {
    ActorSystem<Void> other = members.member(coordinator);
    String invitation = invitation();
    String forged = invitation.substring(0, invitation.lastIndexOf(' ') + 1) + "00".repeat(32);
    assertFalse(LinkDial.open(other, coordinator.address().toString(), forged), "a forged token");
    assertFalse(DirectLinks.get(coordinator).linked(other.address()));
    assertTrue(LinkDial.open(other, coordinator.address().toString(), invitation));
    awaitLinked(coordinator, other.address());
    assertFalse(
        LinkDial.open(other, coordinator.address().toString(), invitation), "a token used already");
  }

  /**
   * A link that breaks while the JVM at its other end still runs (an error in its reader or writer)
   * may leave messages unread in that JVM's socket: what is told after must not overtake them
   * through the cluster. It is dropped, as a lost message is, and the member is downed, as Artery
   * quarantines a member it lost messages to (its supervisor then starts its JVM again).
   */
  @Test
  void aLinkThatBreaksDropsWhatFollowsAndItsMemberIsDowned() throws Exception {
    ActorSystem<Void> cut = members.member(coordinator);
    assertTrue(LinkDial.open(cut, coordinator.address().toString(), invitation()));
    awaitLinked(coordinator, cut.address());
    TestProbe<WorkerProtocol.NodeCommand> probe = TestProbe.create(cut);
    ActorRef<WorkerProtocol.NodeCommand> recipient = seenFrom(coordinator, cut, probe.ref());
    DirectLinks links = DirectLinks.get(coordinator);
    for (int i = 0; i < 4; i++) links.tell(recipient, new WorkerProtocol.StopJob("before-" + i));
    LinkConnection link = links.connection(cut.address());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!link.drained()) {
      assertTrue(System.nanoTime() < deadline, "the link wrote nothing in 10 s");
      Thread.sleep(1);
    }
    link.end("the test breaks it, as an error in its reader would", false);
    long droppedBefore = counts(coordinator, cut.address()).dropped();
    links.tell(recipient, new WorkerProtocol.StopJob("after"));
    assertEquals(droppedBefore + 1, counts(coordinator, cut.address()).dropped(), "dropped");
    assertFalse(links.linked(cut.address()));
    for (int i = 0; i < 4; i++) {
      WorkerProtocol.StopJob stop =
          (WorkerProtocol.StopJob)
              probe.expectMessageClass(WorkerProtocol.StopJob.class, Duration.ofSeconds(10));
      assertTrue(stop.jobId().startsWith("before-"), "nothing overtook: " + stop.jobId());
    }
    probe.expectNoMessage(Duration.ofSeconds(1));

    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (isMember(coordinator, cut.address())) {
      assertTrue(System.nanoTime() < deadline, "the member of a broken link was not downed");
      Thread.sleep(50);
    }
    assertFalse(counts(coordinator, cut.address()).open());
    sendAndExpectInOrder(coordinator, worker, 10, 0); // the other link goes on
  }

  /**
   * A worker JVM's side of a link waits for room while the other side reads, however slowly, rather
   * than drop its results past the queue's bound (Artery, counting messages, would hold them); a
   * side that reads nothing for the stall (a frozen JVM) gets its messages dropped, and the sender
   * is held no longer. Here over a bare socket, read by the test at its own pace.
   */
  @Test
  void aWorkersSideWaitsForASlowReaderAndDropsOnlyForOneThatReadsNothing() throws Exception {
    Path socketPath = SocketFolder.of("").resolve("test-" + System.nanoTime() + ".sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socketPath));
      SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socketPath));
      FrameSocket reader = new FrameSocket(server.accept(), 8 << 20);
      LinkConnection link =
          new LinkConnection(
              worker,
              coordinator.address(),
              client,
              2 << 20,
              1 << 20, // 1 MiB queued at most
              true,
              Duration.ofSeconds(2),
              () -> {});
      link.start();
      TestProbe<WorkerProtocol.NodeCommand> probe = TestProbe.create(coordinator);
      ActorRef<WorkerProtocol.NodeCommand> to = seenFrom(worker, coordinator, probe.ref());
      int count = 60; // 6 MB: far past the bound and what the socket holds
      Thread sender = sending(link, to, "r", count);
      int read = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (read < count) {
        assertTrue(System.nanoTime() < deadline, "only " + read + " of " + count + " came");
        FrameSocket.Frame frame = reader.read(100);
        if (frame != null && frame != FrameSocket.NONE) read++;
        Thread.sleep(5); // a reader slower than the sender
      }
      sender.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(sender.isAlive());
      assertEquals(0, link.counts().dropped(), "a slow reader loses nothing");
      assertEquals(count, link.counts().sent());

      // a reader that reads nothing: the sender waits the stall, then drops, and goes on
      Thread stuck = sending(link, to, "s", count);
      stuck.join(TimeUnit.SECONDS.toMillis(60));
      assertFalse(stuck.isAlive(), "the sender was held past the stall");
      assertTrue(link.counts().dropped() > 0, "dropped past the bound: " + link.counts());
      link.end("the test is over", true);
      reader.close();
    } finally {
      Files.deleteIfExists(socketPath);
    }
  }

  /** A thread that sends {@code count} messages of 100 KB over {@code link}, started. */
  private static Thread sending(
      LinkConnection link, ActorRef<WorkerProtocol.NodeCommand> to, String name, int count) {
    String padding = "x".repeat(100_000);
    Thread sender =
        new Thread(
            () -> {
              for (int i = 0; i < count; i++)
                link.send(to, new WorkerProtocol.StopJob(name + i + padding));
            });
    sender.start();
    return sender;
  }

  /** Whether {@code remote} is a member of {@code system}'s cluster that is not down. */
  private static boolean isMember(ActorSystem<?> system, Address remote) {
    for (Member member : Cluster.get(system).state().getMembers()) {
      if (member.address().equals(remote) && member.status() != MemberStatus.down()) return true;
    }
    return false;
  }

  @Test
  void aLinkEndsWhenItsMemberIsDownedAndTheOthersGoOn() throws Exception {
    ActorSystem<Void> doomed = members.member(coordinator);
    assertTrue(LinkDial.open(doomed, coordinator.address().toString(), invitation()));
    awaitLinked(coordinator, doomed.address());
    Cluster.get(coordinator).manager().tell(Down.apply(doomed.address()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (DirectLinks.get(coordinator).linked(doomed.address())) {
      assertTrue(System.nanoTime() < deadline, "the link outlived its member by 30 s");
      Thread.sleep(20);
    }
    assertFalse(counts(coordinator, doomed.address()).open());
    // the link of another member is untouched
    sendAndExpectInOrder(coordinator, worker, 10, 0);
  }
}
