package org.clusterpool.node.directlink;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The direct links of one actor system, by the address of the member at their other end (see the
 * package's comment). Whatever goes through {@link #tell} takes the link to the recipient's JVM
 * when there is one, and the cluster otherwise: a sender uses {@link #tell} for every message of a
 * conversation that may take a link, so that all of them go one way, in order.
 */
public final class DirectLinks implements Extension {
  private static final Logger log = LoggerFactory.getLogger(DirectLinks.class);

  /** What a link carried so far, each way, and whether it is open. */
  public record Counts(Address remote, long sent, long received, long dropped, boolean open) {}

  /**
   * The link's messages waiting for a JVM that reads no more, at most: Artery's queue holds 3072.
   */
  static final long MAX_QUEUED_BYTES = 64L << 20;

  private final ActorSystem<?> system;
  private final int maxFrameBytes;
  private final Map<Address, LinkConnection> links = new ConcurrentHashMap<>();

  /** What the links that ended carried, the last {@link #ENDED_KEPT} of them. */
  private final Map<Address, Counts> ended =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Address, Counts> eldest) {
              return size() > ENDED_KEPT;
            }
          });

  private static final int ENDED_KEPT = 64;

  /** How long the end of the actor system waits for the links to write what they hold. */
  private static final Duration FLUSH = Duration.ofSeconds(3);

  private final AtomicBoolean watching = new AtomicBoolean();

  private DirectLinks(ActorSystem<?> system) {
    this.system = system;
    this.maxFrameBytes =
        (int)
            system
                .settings()
                .config()
                .getBytes("pekko.remote.artery.advanced.maximum-frame-size")
                .longValue();
    system.getWhenTerminated().thenRun(this::closeAll);
    // what was told before the end (a worker's last results, that its workers leave) goes out
    // first, as Artery flushes its queues when it stops
    CoordinatedShutdown.get(Adapter.toClassic(system))
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "clusterpool-direct-links-flush",
            // on a thread of its own: the common pool may be held by a task's parallel stream
            () -> CompletableFuture.supplyAsync(this::flush, DirectLinks::ownThread));
  }

  private static void ownThread(Runnable body) {
    Thread thread = new Thread(body, "clusterpool-direct-links-flush");
    thread.setDaemon(true);
    thread.start();
  }

  private Done flush() {
    long deadline = System.nanoTime() + FLUSH.toNanos();
    while (System.nanoTime() < deadline
        && !links.values().stream().allMatch(LinkConnection::drained)) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return Done.getInstance();
  }

  public static DirectLinks get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /**
   * Tells {@code to} the {@code message}: over the link to its JVM if there is one, through the
   * cluster otherwise.
   */
  public <T> void tell(ActorRef<T> to, T message) {
    if (!links.isEmpty()) {
      LinkConnection link = links.get(to.path().address());
      if (link != null && link.send(to, message)) return;
    }
    to.tell(message);
  }

  /** Whether messages to the member at {@code remote} take a link now. */
  public boolean linked(Address remote) {
    LinkConnection link = links.get(remote);
    return link != null && link.open();
  }

  /** The link to {@code remote}, open or broken, if there is one. */
  LinkConnection connection(Address remote) {
    return links.get(remote);
  }

  /** What every link of this system carried, open ones and ended ones, by address. */
  public List<Counts> counts() {
    List<Counts> all = new ArrayList<>();
    synchronized (ended) {
      all.addAll(ended.values());
    }
    links.values().forEach(link -> all.add(link.counts()));
    all.sort(Comparator.comparing(c -> c.remote().toString()));
    return all;
  }

  /**
   * Opens a link to the member at {@code remote} over {@code channel}, past its handshake. A link
   * to the same address before it (a JVM that ended, whose port the next one took) ends first.
   *
   * <p>A link that {@linkplain LinkConnection#broken breaks} stays, ended, and drops what is sent
   * to its member until that member is removed: nothing sent after may overtake what it holds. If
   * this JVM {@code accepted} it (this JVM started the other), the member is downed after {@link
   * #BROKEN_GRACE} if it still is one, as Artery quarantines a member it lost messages to; its JVM
   * then ends, its work runs again on the others, and its supervisor starts it again. (A JVM that
   * ended is downed by its supervisor first, saying so; the grace leaves it the time.)
   */
  void add(Address remote, SocketChannel channel, boolean accepted) throws IOException {
    LinkConnection[] self = new LinkConnection[1];
    LinkConnection link =
        new LinkConnection(
            system,
            remote,
            channel,
            maxFrameBytes,
            accepted ? MAX_QUEUED_BYTES : waitingBound(maxFrameBytes),
            !accepted, // a worker JVM's side: see LinkConnection
            STALL,
            () -> {
              if (!self[0].broken()) retire(remote, self[0]);
              else if (accepted) downLater(remote);
            });
    self[0] = link;
    watchMembers();
    LinkConnection before = links.put(remote, link);
    if (before != null) before.end("a new link to the same address replaced it", true);
    link.start();
    if (system.getWhenTerminated().toCompletableFuture().isDone())
      link.end("its actor system has ended", true);
  }

  /**
   * The bound of a side that waits for room (a worker JVM's): an eighth of its heap, within {@link
   * #MAX_QUEUED_BYTES}, and room for a few frames at least. Its senders wait rather than drop, so a
   * smaller queue loses nothing, and a worker whose batch of large results is already in its heap
   * (256 MB by default) keeps less of it twice, as bytes waiting, while the coordinator's JVM reads
   * slowly or not at all.
   */
  static long waitingBound(int maxFrameBytes) {
    return Math.max(
        4L * maxFrameBytes, Math.min(MAX_QUEUED_BYTES, Runtime.getRuntime().maxMemory() / 8));
  }

  /** How long a worker JVM's sender waits for room while the other side reads nothing. */
  static final Duration STALL = Duration.ofSeconds(5);

  /** How long a member whose link broke has to be downed by its supervisor, before it is here. */
  static final Duration BROKEN_GRACE = Duration.ofSeconds(5);

  private void retire(Address remote, LinkConnection link) {
    links.remove(remote, link);
    ended.put(remote, link.counts());
  }

  private void downLater(Address remote) {
    try {
      system
          .scheduler()
          .scheduleOnce(BROKEN_GRACE, () -> downIfMember(remote), system.executionContext());
    } catch (IllegalStateException schedulerStopped) {
      // the actor system is ending: so is the cluster it would be downed from
    }
  }

  private void downIfMember(Address remote) {
    Cluster cluster = Cluster.get(system);
    for (Member member : cluster.state().getMembers()) {
      MemberStatus status = member.status();
      if (member.address().equals(remote)
          && (status == MemberStatus.up()
              || status == MemberStatus.joining()
              || status == MemberStatus.weaklyUp())) {
        log.warn(
            "downing {}: its direct link broke while its JVM still ran (its work runs again on the"
                + " others)",
            remote);
        cluster.manager().tell(new Down(remote));
      }
    }
  }

  /**
   * A link ends when the member at its other end is downed or removed, as Artery quarantines such a
   * member: a JVM that wakes after it was downed must not go on exchanging work over it.
   */
  private void watchMembers() {
    if (!watching.compareAndSet(false, true)) return;
    Behavior<ClusterEvent.MemberEvent> watcher =
        Behaviors.receive(ClusterEvent.MemberEvent.class)
            .onMessage(
                ClusterEvent.MemberEvent.class,
                event -> {
                  if (event instanceof ClusterEvent.MemberDowned
                      || event instanceof ClusterEvent.MemberRemoved) {
                    Address remote = event.member().address();
                    LinkConnection link = links.get(remote);
                    if (link != null) {
                      link.end(
                          "its member is "
                              + (event instanceof ClusterEvent.MemberDowned ? "downed" : "removed"),
                          true);
                      // a broken link drops what its member is sent until the member is gone
                      if (event instanceof ClusterEvent.MemberRemoved) retire(remote, link);
                    }
                  }
                  return Behaviors.same();
                })
            .build();
    ActorRef<ClusterEvent.MemberEvent> ref =
        system.systemActorOf(watcher, "clusterpool-direct-links", Props.empty());
    Cluster.get(system).subscriptions().tell(Subscribe.create(ref, ClusterEvent.MemberEvent.class));
  }

  private void closeAll() {
    for (LinkConnection link : links.values()) link.end("this actor system ended", true);
  }

  private static final class Id extends ExtensionId<DirectLinks> {
    static final Id INSTANCE = new Id();

    @Override
    public DirectLinks createExtension(ActorSystem<?> system) {
      return new DirectLinks(system);
    }
  }
}
