package org.clusterpool.node.pipe;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.clusterpool.node.handle.Futures;
import org.clusterpool.node.handle.Handover;
import org.clusterpool.node.handle.Link;
import org.clusterpool.node.handle.OwnNode;
import org.clusterpool.node.handle.PendingCalls;
import org.clusterpool.node.wire.CborSerializable;
import org.clusterpool.node.wire.Values;

/**
 * One end of a named pipe, in the JVM of the {@link Connection} that uses it. It holds the messages
 * sent to this end and not yet read; the other end sends straight to it.
 *
 * <p>The two ends find each other through the receptionist and shake hands ({@link Hello}: which
 * end, what type, duplex or not, and how many unread messages it holds at most). Each end sends its
 * hello again until it has the other's, so a lost one only delays the start. From then on they talk
 * through a {@link Link} on each side: every message is numbered, confirmed, sent again if it was
 * lost, and taken once, in order.
 *
 * <p>Room is state, not a delta: the reader's end says how many messages its reader has taken in
 * all ({@link Credit}), and the sender may have at most its buffer more than that out. A lost or
 * repeated credit cannot shrink or grow the window: the next one states it again. So an end never
 * holds more than {@code clusterpool.pipe.buffer} unread messages and a fast sender waits, as a
 * writer into a full OS pipe does.
 *
 * <p>Closing an end tells the other one after its last message ({@link Bye}): that one reads what
 * was sent, then gets EOF. The closed end stays until the other has confirmed all of it (or is
 * gone), then stops. An end whose node leaves, or that does not answer for {@code
 * clusterpool.pipe.give-up-after}, counts as closed.
 *
 * <p><b>A direct connection.</b> When the other end is in another JVM, the first end also offers a
 * Unix domain socket in its hello ({@link DirectOffer}: a path and a one-time token, see {@link
 * DirectListener}). The second end tries it: it connects and shows the token, the first end
 * answers; its hellos then say {@link Direct#CONNECTED}, or {@link Direct#DECLINED} when that
 * failed (another machine, or {@code clusterpool.pipe.direct = off}). No message flows before both
 * have chosen: over the connection ({@link DirectChannel}, and this actor then only watches the
 * other end and the reader thread), or through the cluster as above.
 *
 * <p><b>Why one file of this length.</b> The handshake, the route choice, the link, the close and
 * the stats all read and write the same few facts (greeted, switching, the other end done, closing,
 * the channel), and each step's guard depends on all of them: split across classes, each guard
 * would have to be read in several files. What has state of its own and no such ties lives apart:
 * the room ({@link CreditWindow}), the waiting calls ({@link TimedCalls}), the direct connection
 * itself ({@link DirectChannel}, {@link DirectListener}, {@link DirectHandshake}), and what handles
 * share ({@code node/handle}).
 */
public final class PipeEnd extends AbstractBehavior<PipeEnd.Command> {

  /** The receptionist key of one end of the pipe {@code name}. */
  public static ServiceKey<Command> serviceKey(String name, Pipe.End end) {
    return ServiceKey.create(Command.class, "clusterpool-pipe-" + name + "-" + end.label());
  }

  /**
   * Every end of every pipe of the cluster registers under this key too, so that a dashboard lists
   * them all ({@code Inventory}) and asks each how it is doing ({@link Inspect}).
   */
  public static final ServiceKey<Command> ALL =
      ServiceKey.create(Command.class, "clusterpool-pipe-ends");

  public sealed interface Command
      permits Hello,
          FromPeer,
          PeerSync,
          Inspect,
          SendCall,
          RecvCall,
          PollCall,
          CloseCall,
          Offered,
          Expired,
          Tick,
          PeerListing,
          OwnListing,
          LingerOver,
          DirectAccepted,
          DirectDialed,
          SwitchMarker,
          ReaderCheck {}

  // ---- between the two ends

  /**
   * The handshake: who this end is, and how many unread messages it holds at most (0 for an end
   * that only sends). {@code answer}: sent in reply to the other's hello, so it is not answered
   * again. {@code offer}: the first end's direct connection, or null; {@code direct}: what the
   * second end made of it.
   */
  public record Hello(
      ActorRef<Command> end,
      Pipe.End side,
      String typeName,
      boolean duplex,
      int buffer,
      boolean answer,
      DirectOffer offer,
      Direct direct)
      implements Command, CborSerializable {}

  /**
   * The second end's answer to an offer of a direct connection: none seen yet, connected, or
   * declined.
   */
  public enum Direct {
    NONE,
    CONNECTED,
    DECLINED
  }

  /**
   * A numbered message of the link, with the highest number of the receiver's messages the sender
   * has taken.
   */
  public record FromPeer(long seq, long ack, Payload payload)
      implements Command, CborSerializable {}

  /** The state of the other end's side of the link (see {@link Link}). */
  public record PeerSync(Link.Sync sync) implements Command, CborSerializable {}

  /** What one end sends the other, each taken once and in order. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "p")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Data.class, name = "data"),
    @JsonSubTypes.Type(value = Credit.class, name = "credit"),
    @JsonSubTypes.Type(value = Bye.class, name = "bye")
  })
  public sealed interface Payload permits Data, Credit, Bye {}

  /** One message of the pipe's user. */
  public record Data(Values item) implements Payload {}

  /**
   * The reader has taken {@code consumed} messages in all: the sender may have its buffer more than
   * that out.
   */
  public record Credit(long consumed) implements Payload {}

  /** The other end closed after sending {@code sent} messages: EOF once they are read. */
  public record Bye(long sent) implements Payload {}

  /**
   * How this end is doing, for whoever looks on ({@link PipeStats}): answered at once, whatever the
   * route.
   */
  public record Inspect(ActorRef<PipeStats> replyTo) implements Command, CborSerializable {}

  // ---- calls of the connection, in this JVM only

  /**
   * {@code at}: when it was made ({@link System#nanoTime()}), so that a direct connection counts
   * its timeout from then.
   */
  record SendCall(Values item, long timeoutMillis, long at, CompletableFuture<Void> result)
      implements Command, NoSerializationVerificationNeeded {}

  /**
   * {@code async}: no thread waits on it (recvAsync), as a direct connection needs to know: see
   * {@link DirectChannel}.
   */
  record RecvCall<T>(Function<Values, T> decode, CompletableFuture<T> result, boolean async)
      implements Command, NoSerializationVerificationNeeded {
    /** The same call, served as if nobody waited on a thread for it. */
    RecvCall<T> served() {
      return new RecvCall<>(decode, result, true);
    }
  }

  /**
   * True as soon as a recv would not wait (a message is there, or EOF); false after the timeout.
   */
  record PollCall(long timeoutMillis, long at, CompletableFuture<Boolean> result)
      implements Command, NoSerializationVerificationNeeded {}

  record CloseCall(CompletableFuture<Void> result)
      implements Command, NoSerializationVerificationNeeded {}

  /**
   * What became of a message handed to a reader: taken, or given back (the reader gave up) to the
   * front.
   */
  private record Offered(Values item, boolean taken)
      implements Command, NoSerializationVerificationNeeded {}

  private record Expired(long callId) implements Command, NoSerializationVerificationNeeded {}

  /**
   * Time to say hello again, to ask a silent other end what arrived, and to give up on one that
   * stays silent.
   */
  private enum Tick implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  private record PeerListing(Receptionist.Listing listing)
      implements Command, NoSerializationVerificationNeeded {}

  private record OwnListing(Receptionist.Listing listing)
      implements Command, NoSerializationVerificationNeeded {}

  private enum LingerOver implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** The first end's listener took the connection that showed the token. */
  private record DirectAccepted(SocketChannel socket)
      implements Command, NoSerializationVerificationNeeded {}

  /** The second end tried the offer: the connection, or why there is none. */
  private record DirectDialed(SocketChannel socket, String failure)
      implements Command, NoSerializationVerificationNeeded {}

  /**
   * Every call told to this actor before the direct connection was chosen has been handled: the
   * channel takes over.
   */
  private enum SwitchMarker implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** Time to look whether a callback holds the direct connection's reader thread. */
  private enum ReaderCheck implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /**
   * How long a broken end stays, so that the other end reads its handshake (and says what is wrong)
   * before its stop.
   */
  private static final Duration BROKEN_LINGER = Duration.ofSeconds(2);

  /**
   * How long the handshake on a direct connection may take before the ends go through the cluster
   * instead.
   */
  private static final Duration DIRECT_HANDSHAKE = Duration.ofSeconds(5);

  /**
   * How long a direct connection may go on after the other end's actor is gone: its goodbye or its
   * end comes first.
   */
  private static final Duration DIRECT_GRACE = Duration.ofSeconds(2);

  static Behavior<Command> create(
      String name,
      Pipe.End side,
      String typeName,
      boolean duplex,
      PipeSettings settings,
      PendingCalls calls,
      Route route) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    new PipeEnd(
                        context, timers, name, side, typeName, duplex, settings, calls, route)));
  }

  private final TimerScheduler<Command> timers;
  private final String name;
  private final Pipe.End side;
  private final String typeName;
  private final boolean duplex;
  private final PipeSettings settings;
  private final int buffer;
  private final PendingCalls calls;
  private final Executor executor;
  private final ServiceKey<Command> ownKey;
  private ActorRef<Command> peer;

  /** On the receptionist's lists: no earlier end of this side was listed when it opened. */
  private boolean registered;

  private Link<Payload> link;

  /** The other end's hello has come: this end knows its buffer and may send. */
  private boolean greeted;

  private final CreditWindow window;
  private int offering;
  private final Deque<Values> inbox = new ArrayDeque<>();
  private final Deque<RecvCall<?>> waitingRecvs = new ArrayDeque<>();

  /** Sends that wait for room and polls that wait for a message, numbered from one counter. */
  private final TimedCalls<SendCall> waitingSends;

  private final TimedCalls<PollCall> waitingPolls;
  private long nextCallId;

  /**
   * The calls without a timeout of their own (recvs, sends and polls that would wait as long as it
   * takes) that wait for an other end nobody has opened yet, oldest first, with when they came
   * ({@link System#nanoTime()}): each fails after {@code clusterpool.pipe.give-up-after}, so that
   * none waits for ever for an end that never comes.
   */
  private final Map<CompletableFuture<?>, Long> waitingForOpen = new LinkedHashMap<>();

  /**
   * Why nothing more will come from the other end (it closed, or is gone); null while it may still
   * send.
   */
  private String otherEndDone;

  /** This end was closed, and waits for the other end to confirm what it sent before it stops. */
  private boolean closing;

  // ---- the direct connection
  private final Route route;

  /** The first end's listener while it waits for the second end, and what it offers. */
  private DirectListener listener;

  private DirectOffer offer;

  /**
   * The first end: the connection that showed the token, and whether the second end said it
   * connected.
   */
  private SocketChannel accepted;

  private boolean peerConnected;

  /** The second end: what it made of the offer (NONE until it tried). */
  private Direct dialed = Direct.NONE;

  private boolean dialing;

  /**
   * The connection's end here, once chosen; {@code switching} until the calls told to this actor
   * are handed to it.
   */
  private DirectChannel channel;

  private boolean switching;

  /** Closed before the ends chose how to talk: the close is done once they have. */
  private boolean closeAfterRoute;

  private PipeEnd(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      String name,
      Pipe.End side,
      String typeName,
      boolean duplex,
      PipeSettings settings,
      PendingCalls calls,
      Route route) {
    super(context);
    this.route = route;
    this.timers = timers;
    this.name = name;
    this.side = side;
    this.typeName = typeName;
    this.duplex = duplex;
    this.settings = settings;
    this.buffer = settings.buffer();
    this.window = new CreditWindow(buffer, 0);
    this.calls = calls;
    this.executor = context.getSystem().executionContext();
    this.waitingSends = new TimedCalls<>(timers, () -> ++nextCallId, Expired::new);
    this.waitingPolls = new TimedCalls<>(timers, () -> ++nextCallId, Expired::new);
    this.ownKey = serviceKey(name, side);
    // first make sure that this end is not open elsewhere already; then register, and look for the
    // other end. The subscription stays: an end of the same side opened at the same moment (so
    // that neither saw the other at first) shows up later, and the later of the two gives way.
    context
        .getSystem()
        .receptionist()
        .tell(
            Receptionist.subscribe(
                ownKey,
                // one adapter for both keys (a second one of the same class would replace it)
                listings(context)));
    timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.resendAfter());
  }

  /** The listings of both keys, this end's side's and the other's, told apart by their key. */
  private ActorRef<Receptionist.Listing> listings(ActorContext<Command> context) {
    return context.messageAdapter(
        Receptionist.Listing.class,
        listing -> listing.isForKey(ownKey) ? new OwnListing(listing) : new PeerListing(listing));
  }

  private boolean canReceive() {
    return duplex || side == Pipe.End.FIRST;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(OwnListing.class, this::onOwnListing)
        .onMessage(PeerListing.class, this::onPeerListing)
        .onMessage(Hello.class, this::onHello)
        .onMessage(FromPeer.class, this::onFromPeer)
        .onMessage(PeerSync.class, this::onPeerSync)
        .onMessage(Inspect.class, this::onInspect)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(SendCall.class, this::onSend)
        .onMessage(RecvCall.class, this::onRecv)
        .onMessage(PollCall.class, this::onPoll)
        .onMessage(CloseCall.class, this::onClose)
        .onMessage(Offered.class, this::onOffered)
        .onMessage(Expired.class, this::onExpired)
        .onMessage(DirectAccepted.class, this::onDirectAccepted)
        .onMessage(DirectDialed.class, this::onDirectDialed)
        .onMessageEquals(SwitchMarker.INSTANCE, this::onSwitchMarker)
        .onMessageEquals(ReaderCheck.INSTANCE, this::onReaderCheck)
        .onSignal(Terminated.class, signal -> onOtherEndGone())
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  private String pipe() {
    return "pipe '" + name + "'";
  }

  /** Off both keys: the end is closed, or broken, and leaves the lists before it stops. */
  private void deregister() {
    getContext()
        .getSystem()
        .receptionist()
        .tell(Receptionist.deregister(ownKey, getContext().getSelf()));
    getContext()
        .getSystem()
        .receptionist()
        .tell(Receptionist.deregister(ALL, getContext().getSelf()));
  }

  private Behavior<Command> onInspect(Inspect inspect) {
    if (inspect.replyTo() != null) inspect.replyTo().tell(stats(false));
    return this;
  }

  /**
   * What this end holds and did. Over a direct connection the channel has the counts (the calls go
   * to it, not here); through the cluster this actor has them.
   */
  private PipeStats stats(boolean broken) {
    String node = getContext().getSystem().address().toString();
    boolean closed =
        broken || closing || closeAfterRoute || otherEndDone != null || calls.stopped() != null;
    if (channel != null && !switching) {
      DirectChannel.Counts c = channel.counts();
      return new PipeStats(
          name,
          side.label(),
          node,
          true,
          closed || c.closed(),
          c.buffered(),
          c.sent(),
          c.received(),
          c.blockedSends(),
          c.blockedRecvs(),
          c.creditsLeft());
    }
    long creditsLeft = greeted ? window.creditsLeft() : 0;
    return new PipeStats(
        name,
        side.label(),
        node,
        channel != null,
        closed,
        inbox.size(),
        window.sent(),
        window.received(),
        waitingSends.size(),
        waitingRecvs.size(),
        creditsLeft);
  }

  // ---- finding the other end

  /**
   * Which of two ends of one side, registered at the same moment, was opened first: by the time in
   * their actor names ({@link Pipe#open}: a clock that never steps back within a JVM), then their
   * number in their JVM, then their paths. Every end, and the other side picking its peer, order
   * them alike.
   */
  static final Comparator<ActorRef<?>> EARLIEST =
      Comparator.<ActorRef<?>>comparingLong(ref -> openedAt(ref, 2))
          .thenComparingLong(ref -> openedAt(ref, 1))
          .thenComparing(ref -> ref.path().toString());

  /** A number from the end of an end's actor name ({@code pipe-NAME-SIDE-MILLIS-N}). */
  private static long openedAt(ActorRef<?> ref, int fromEnd) {
    String[] parts = ref.path().name().split("-");
    try {
      return Long.parseLong(parts[parts.length - fromEnd]);
    } catch (RuntimeException e) {
      return Long.MAX_VALUE; // not named so (another version): counts as the latest
    }
  }

  /**
   * Whether this end, not the other of its side, is the later opening. Ends of one JVM are ordered
   * by their opening (a clock that never steps back there). An end of another JVM listed before
   * this one registered was there first, whatever the two clocks say: only two ends registered at
   * the same moment (neither listed to the other yet) are ordered by their clocks.
   */
  private boolean givesWayTo(ActorRef<Command> other, ActorRef<Command> self) {
    boolean sameJvm = other.path().address().equals(self.path().address());
    if (!registered && !sameJvm) return true;
    return EARLIEST.compare(other, self) < 0;
  }

  private Behavior<Command> onOwnListing(OwnListing own) {
    ActorRef<Command> self = getContext().getSelf();
    for (ActorRef<Command> other : own.listing().getServiceInstances(ownKey)) {
      if (!other.equals(self) && givesWayTo(other, self)) {
        String where =
            other.path().address().equals(self.path().address())
                ? "in this JVM"
                : "on "
                    + other.path().address().getHost().orElse("?")
                    + ":"
                    + other.path().address().getPort().map(String::valueOf).orElse("?");
        String reason =
            "end "
                + side
                + " of "
                + pipe()
                + " is already open "
                + where
                + " ("
                + other.path()
                + "): an end is opened once; this opening is refused, the earlier one works on";
        getContext().getLog().warn(reason);
        calls.stop(new IllegalStateException(reason));
        if (registered) deregister();
        return Behaviors.stopped();
      }
    }
    if (registered) return this;
    registered = true;
    getContext()
        .getSystem()
        .receptionist()
        .tell(Receptionist.register(ownKey, getContext().getSelf()));
    getContext()
        .getSystem()
        .receptionist()
        .tell(Receptionist.register(ALL, getContext().getSelf()));
    getContext()
        .getSystem()
        .receptionist()
        .tell(Receptionist.subscribe(serviceKey(name, side.other()), listings(getContext())));
    return this;
  }

  private Behavior<Command> onPeerListing(PeerListing listing) {
    if (peer != null || otherEndDone != null) return this;
    listing.listing().getServiceInstances(serviceKey(name, side.other())).stream()
        .min(EARLIEST)
        .ifPresent(this::connect);
    return this;
  }

  private void connect(ActorRef<Command> other) {
    peer = other;
    getContext().watch(other);
    link =
        new Link<>(
            new Link.Wire<>() {
              @Override
              public void send(long seq, long ack, Payload body) {
                other.tell(new FromPeer(seq, ack, body));
              }

              @Override
              public void sync(Link.Sync state) {
                other.tell(new PeerSync(state));
              }
            },
            settings.resendAfter(),
            settings.giveUpAfter());
    if (side == Pipe.End.FIRST && inAnotherJvm(other) && settings.direct()) offerDirect();
    other.tell(hello(false));
  }

  private Hello hello(boolean answer) {
    return new Hello(
        getContext().getSelf(),
        side,
        typeName,
        duplex,
        canReceive() ? buffer : 0,
        answer,
        offer,
        dialed);
  }

  private boolean inAnotherJvm(ActorRef<Command> other) {
    return other.path().address().hasGlobalScope()
        && !other.path().address().equals(getContext().getSystem().address());
  }

  private Behavior<Command> onHello(Hello hello) {
    if (peer != null && !peer.equals(hello.end())) {
      getContext()
          .getLog()
          .warn("{}: a second {} end at {} is ignored", pipe(), hello.side(), hello.end().path());
      return this;
    }
    if (hello.side() != side.other())
      return broken(hello, "both ends of " + pipe() + " were opened as " + side);
    if (!hello.typeName().equals(typeName)) {
      return broken(
          hello,
          pipe()
              + ": the other end carries "
              + hello.typeName()
              + " messages, this one "
              + typeName);
    }
    if (hello.duplex() != duplex)
      return broken(hello, pipe() + ": one end was opened duplex and the other one-way");
    if (peer == null) connect(hello.end());
    if (!hello.answer()) peer.tell(hello(true));
    if (greeted || switching) return this;
    window.peerBuffer(hello.buffer());
    return chooseRoute(hello);
  }

  /**
   * The ends do not match: this one cannot work, and every call on it fails with the reason. It
   * answers the handshake and stays a moment, so that the other end learns the mismatch from it
   * rather than from its stop.
   */
  private Behavior<Command> broken(Hello hello, String reason) {
    getContext().getLog().warn(reason);
    calls.stop(new IllegalStateException(reason));
    closeListener();
    Hello mine =
        new Hello(getContext().getSelf(), side, typeName, duplex, 0, true, null, Direct.DECLINED);
    if (!hello.answer()) hello.end().tell(mine);
    deregister();
    timers.cancel(Tick.INSTANCE);
    timers.startSingleTimer(LingerOver.INSTANCE, BROKEN_LINGER);
    return Behaviors.receive(Command.class)
        .onMessageEquals(LingerOver.INSTANCE, Behaviors::stopped)
        .onMessage(
            Inspect.class,
            inspect -> {
              if (inspect.replyTo() != null) inspect.replyTo().tell(stats(true));
              return Behaviors.same();
            })
        .onMessage(
            Hello.class,
            again -> {
              if (!again.answer()) again.end().tell(mine);
              return Behaviors.same();
            })
        .onAnyMessage(ignored -> Behaviors.same())
        .build();
  }

  // ---- choosing between the cluster and a direct connection

  /**
   * The first end offers a direct connection; a system that cannot (no Unix domain sockets, no
   * private folder) does not.
   */
  private void offerDirect() {
    ActorRef<Command> self = getContext().getSelf();
    try {
      listener =
          DirectListener.open(
              SocketFolder.of(settings.directDir()),
              "clusterpool-pipe-" + name + "-accept",
              DIRECT_HANDSHAKE,
              socket -> self.tell(new DirectAccepted(socket)));
      offer = listener.offer();
    } catch (IOException | RuntimeException e) {
      getContext().getLog().debug("{}: no direct connection offered: {}", pipe(), e.toString());
    }
  }

  /**
   * The other end's hello came, and it matches: talk through the cluster, or (soon) over the direct
   * connection.
   */
  private Behavior<Command> chooseRoute(Hello hello) {
    if (side == Pipe.End.FIRST) {
      if (offer == null) return greetThroughCluster();
      if (hello.direct() == Direct.DECLINED) {
        getContext().getLog().debug("{}: the other end declined the direct connection", pipe());
        closeListener();
        closeAccepted();
        return greetThroughCluster();
      }
      if (hello.direct() == Direct.CONNECTED) {
        peerConnected = true;
        if (accepted != null) return switchToDirect(accepted);
      }
      return this; // NONE: its answer to this end's hello (which carries the offer) says what it
      // made of it
    }
    if (hello.offer() == null) return greetThroughCluster();
    if (dialed == Direct.NONE && !dialing) {
      if (!settings.direct()) return declineDirect("clusterpool.pipe.direct is off here");
      dialing = true;
      DirectOffer offered = hello.offer();
      getContext()
          .pipeToSelf(
              CompletableFuture.supplyAsync(
                  () -> dial(offered),
                  getContext().getSystem().dispatchers().lookup(DispatcherSelector.blocking())),
              (dialedResult, error) ->
                  error != null ? new DirectDialed(null, error.toString()) : dialedResult);
    }
    return this;
  }

  private static DirectDialed dial(DirectOffer offer) {
    try {
      return new DirectDialed(DirectHandshake.dial(offer, DIRECT_HANDSHAKE), null);
    } catch (IOException | RuntimeException e) {
      return new DirectDialed(null, e.toString());
    }
  }

  private Behavior<Command> onDirectDialed(DirectDialed result) {
    dialing = false;
    if (greeted
        || switching
        || otherEndDone != null
        || calls.stopped() != null && !closeAfterRoute) {
      closeQuietly(result.socket());
      return this;
    }
    if (result.socket() == null) return declineDirect(result.failure());
    dialed = Direct.CONNECTED;
    peer.tell(hello(true));
    return switchToDirect(result.socket());
  }

  private Behavior<Command> declineDirect(String why) {
    getContext().getLog().debug("{}: no direct connection: {}", pipe(), why);
    dialed = Direct.DECLINED;
    peer.tell(hello(true));
    return greetThroughCluster();
  }

  private Behavior<Command> onDirectAccepted(DirectAccepted message) {
    if (greeted || switching || offer == null || otherEndDone != null) {
      closeQuietly(message.socket());
      return this;
    }
    accepted = message.socket();
    return peerConnected ? switchToDirect(accepted) : this;
  }

  /** Through the cluster: the link carries the messages from now on. */
  private Behavior<Command> greetThroughCluster() {
    greeted = true;
    waitingForOpen.clear();
    flushSends();
    if (closeAfterRoute) return closeThroughLink();
    return this;
  }

  /**
   * Over the direct connection: its channel starts reading at once, and takes over the calls once
   * those told to this actor before the switch are handled (at the {@link SwitchMarker}); meanwhile
   * the route holds new ones.
   */
  private Behavior<Command> switchToDirect(SocketChannel socket) {
    accepted = null;
    closeListener();
    try {
      ObjectMapper cbor =
          JacksonObjectMapperProvider.get(getContext().getSystem().classicSystem())
              .getOrCreate("jackson-cbor", Optional.of(new CBORFactory()));
      long frame =
          getContext()
              .getSystem()
              .settings()
              .config()
              .getBytes("pekko.remote.artery.advanced.maximum-frame-size");
      channel =
          new DirectChannel(
              name,
              side,
              new FrameSocket(socket, (int) frame),
              canReceive() ? buffer : 0,
              window.peerBuffer(),
              cbor.writerFor(Values.class),
              cbor.readerFor(Values.class),
              getContext().getSystem().scheduler(),
              getContext().getExecutionContext(),
              getContext().getLog(),
              settings.readerStall());
    } catch (IOException e) {
      // a socket that cannot even be set up: this end is broken, as it cannot tell the other to go
      // back to the cluster
      closeQuietly(socket);
      otherEndDone(
          "the direct connection of " + pipe() + " could not be set up: " + e.getMessage());
      return this;
    }
    getContext().getLog().debug("{}: the ends talk over a direct connection", pipe());
    channel.start();
    switching = true;
    route.hold();
    getContext().getSelf().tell(SwitchMarker.INSTANCE);
    timers.startTimerWithFixedDelay(ReaderCheck.INSTANCE, settings.readerStall());
    return this;
  }

  private Behavior<Command> onSwitchMarker() {
    List<Command> kept = new ArrayList<>(waitingSends.drain());
    kept.addAll(waitingRecvs);
    kept.addAll(waitingPolls.drain());
    waitingRecvs.clear();
    route.switchTo(channel, kept);
    switching = false;
    greeted = true;
    waitingForOpen.clear();
    channel.open();
    if (closeAfterRoute) {
      channel.close();
      return Behaviors.stopped();
    }
    return this;
  }

  private Behavior<Command> onReaderCheck() {
    if (channel != null) channel.checkReader();
    return this;
  }

  private void closeListener() {
    if (listener != null) listener.close();
    listener = null;
  }

  private void closeAccepted() {
    closeQuietly(accepted);
    accepted = null;
  }

  private static void closeQuietly(SocketChannel socket) {
    if (socket == null) return;
    try {
      socket.close();
    } catch (IOException ignored) {
      // not used: nothing more to do with it
    }
  }

  // ---- the link

  /**
   * Taken only after the other end's hello, which says what its messages are; until then they come
   * again.
   */
  private Behavior<Command> onFromPeer(FromPeer message) {
    if (channel != null) return this;
    if (!greeted || !link.accept(message.seq(), message.ack())) return afterLink();
    if (closing)
      return afterLink(); // this end reads nothing more: what comes now is lost, as in a closed OS
    // pipe
    Payload payload = message.payload();
    if (payload instanceof Data data) onData(data);
    else if (payload instanceof Credit credit) onCredit(credit);
    else if (payload instanceof Bye bye) onBye(bye);
    return afterLink();
  }

  private Behavior<Command> onPeerSync(PeerSync message) {
    if (channel != null) return this;
    if (link != null && greeted) link.onSync(message.sync());
    return afterLink();
  }

  private Behavior<Command> onTick() {
    if (!waitingForOpen.isEmpty()) giveUpOnUnopened();
    if (peer == null || channel != null) return this;
    if (!greeted) peer.tell(hello(false));
    boolean awaiting =
        closing || !waitingSends.isEmpty() || !waitingRecvs.isEmpty() || !waitingPolls.isEmpty();
    if (otherEndDone == null || closing) link.tick(awaiting);
    return afterLink();
  }

  /**
   * A link that gave up counts as the other end gone; a closed end stops once all it sent is
   * confirmed.
   */
  private Behavior<Command> afterLink() {
    if (link != null && link.dead() != null) {
      if (closing) return Behaviors.stopped();
      otherEndDone(
          "the other end of "
              + pipe()
              + " stopped answering: "
              + link.dead()
              + " (clusterpool.pipe.give-up-after)");
    }
    return closing && (link == null || link.unconfirmed() == 0) ? Behaviors.stopped() : this;
  }

  // ---- sending

  private Behavior<Command> onSend(SendCall call) {
    if (calls.stopped() != null) return this;
    if (otherEndDone != null) {
      Futures.fail(
          executor, call.result(), new PipeClosedException("broken pipe: " + otherEndDone));
    } else if (waitingSends.isEmpty() && hasRoom()) {
      transmit(call);
    } else if (call.timeoutMillis() == 0) {
      Futures.fail(executor, call.result(), noRoom(call));
    } else {
      waitingSends.park(call, call.timeoutMillis());
      if (call.timeoutMillis() < 0) awaitOpen(call.result());
    }
    return this;
  }

  private boolean hasRoom() {
    return greeted && window.hasRoom();
  }

  private void transmit(SendCall call) {
    window.onSent();
    link.send(new Data(call.item()));
    Futures.complete(executor, call.result(), null);
  }

  private void onCredit(Credit credit) {
    window.onCredit(credit.consumed());
    flushSends();
  }

  private void flushSends() {
    while (hasRoom() && otherEndDone == null && !waitingSends.isEmpty()) {
      SendCall waiting = waitingSends.poll();
      if (!waiting.result().isDone()) transmit(waiting);
    }
  }

  private TimeoutException noRoom(SendCall call) {
    return new TimeoutException(
        !greeted
            ? "the other end of " + pipe() + " did not open within " + call.timeoutMillis() + " ms"
            : pipe()
                + " stayed full ("
                + window.peerBuffer()
                + " unread messages) for "
                + call.timeoutMillis()
                + " ms");
  }

  // ---- receiving

  private void onData(Data data) {
    window.onReceived();
    inbox.add(data.item());
    serveRecvs();
    answerPolls();
  }

  private Behavior<Command> onRecv(RecvCall<?> call) {
    if (calls.stopped() != null) return this;
    waitingRecvs.add(call);
    serveRecvs();
    if (otherEndDone == null) awaitOpen(call.result());
    return this;
  }

  private void serveRecvs() {
    while (!waitingRecvs.isEmpty() && !inbox.isEmpty()) {
      RecvCall<?> call = waitingRecvs.poll();
      if (!call.result().isDone()) handOver(call, inbox.poll());
    }
    if (otherEndDone != null && inbox.isEmpty() && offering == 0) {
      for (RecvCall<?> call : waitingRecvs)
        Futures.fail(executor, call.result(), new EOFException(otherEndDone));
      waitingRecvs.clear();
    }
  }

  /**
   * Gives the message to its reader on the dispatcher; a reader that gave up meanwhile gives it
   * back.
   */
  private <T> void handOver(RecvCall<T> call, Values item) {
    offering++;
    ActorRef<Command> self = getContext().getSelf();
    String cannotRead = pipe() + " received a message this end cannot read";
    executor.execute(
        () ->
            self.tell(
                new Offered(
                    item,
                    Handover.deliver(item, call.decode(), call.result(), cannotRead).consumed())));
  }

  /**
   * Every few messages taken, the other end learns how many were taken in all, and derives its room
   * from that.
   */
  private Behavior<Command> onOffered(Offered offered) {
    offering--;
    if (offered.taken()) {
      long credit = window.onTaken(otherEndDone == null && !closing);
      if (credit >= 0) link.send(new Credit(credit));
    } else {
      inbox.addFirst(offered.item());
    }
    serveRecvs();
    return afterLink();
  }

  private Behavior<Command> onPoll(PollCall call) {
    if (calls.stopped() != null) return this;
    if (!inbox.isEmpty() || otherEndDone != null) {
      Futures.complete(executor, call.result(), true);
    } else if (call.timeoutMillis() == 0) {
      Futures.complete(executor, call.result(), false);
    } else {
      waitingPolls.park(call, call.timeoutMillis());
      if (call.timeoutMillis() < 0) awaitOpen(call.result());
    }
    return this;
  }

  private void answerPolls() {
    for (PollCall waiting : waitingPolls.drain())
      Futures.complete(executor, waiting.result(), true);
  }

  /** A call without a timeout waits: for at most give-up-after if the other end has not opened. */
  private void awaitOpen(CompletableFuture<?> result) {
    if (!greeted && !switching) waitingForOpen.put(result, System.nanoTime());
  }

  /**
   * The calls that waited give-up-after for an other end that has not opened (or not finished its
   * handshake) fail, and say so; the end stays open, and a later call waits again.
   */
  private void giveUpOnUnopened() {
    if (greeted || switching) {
      waitingForOpen.clear();
      return;
    }
    long now = System.nanoTime();
    long limit = settings.giveUpAfter().toNanos();
    Set<CompletableFuture<?>> expired = Collections.newSetFromMap(new IdentityHashMap<>());
    Iterator<Map.Entry<CompletableFuture<?>, Long>> it = waitingForOpen.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<CompletableFuture<?>, Long> call = it.next();
      if (call.getKey().isDone()) {
        it.remove();
      } else if (now - call.getValue() >= limit) {
        it.remove();
        expired.add(call.getKey());
      } else {
        break; // the later ones came later
      }
    }
    if (expired.isEmpty()) return;
    waitingRecvs.removeIf(call -> expired.contains(call.result()));
    waitingSends.removeIf(call -> expired.contains(call.result()));
    waitingPolls.removeIf(call -> expired.contains(call.result()));
    PipeUnavailableException error = new PipeUnavailableException(notOpened());
    for (CompletableFuture<?> result : expired) Futures.fail(executor, result, error);
  }

  private String notOpened() {
    Duration limit = settings.giveUpAfter();
    String within =
        limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
    return pipe()
        + (peer == null
            ? ": nobody opened its other end (" + side.other() + ") within " + within
            : ": its other end ("
                + side.other()
                + ") at "
                + peer.path()
                + " did not finish the handshake within "
                + within)
        + " (clusterpool.pipe.give-up-after)";
  }

  private Behavior<Command> onExpired(Expired expired) {
    SendCall send = waitingSends.expire(expired.callId());
    if (send != null) Futures.fail(executor, send.result(), noRoom(send));
    PollCall poll = waitingPolls.expire(expired.callId());
    if (poll != null) Futures.complete(executor, poll.result(), false);
    return this;
  }

  // ---- the end of the other end, and of this one

  private void onBye(Bye bye) {
    if (bye.sent() != window.received()) {
      getContext()
          .getLog()
          .error(
              "{}: the other end sent {} messages, {} arrived",
              pipe(),
              bye.sent(),
              window.received());
    }
    otherEndDone(
        "the other end of " + pipe() + " was closed after sending " + bye.sent() + " messages");
  }

  private Behavior<Command> onOtherEndGone() {
    if (channel != null) {
      channel.otherActorGone(DIRECT_GRACE);
      return this;
    }
    closeListener();
    closeAccepted();
    String out = OwnNode.outOfCluster(getContext().getSystem());
    otherEndDone(
        out != null
            ? "the other end of "
                + pipe()
                + " cannot be reached from here: "
                + out
                + " (a JVM frozen or cut off longer than the cluster waits is downed)"
            : "the other end of "
                + pipe()
                + " is gone (its node left the cluster, or its actor system stopped)");
    return closing || closeAfterRoute ? Behaviors.stopped() : this;
  }

  private void otherEndDone(String reason) {
    if (otherEndDone != null) return;
    otherEndDone = reason;
    for (SendCall waiting : waitingSends.drain()) {
      Futures.fail(executor, waiting.result(), new PipeClosedException("broken pipe: " + reason));
    }
    serveRecvs();
    answerPolls();
  }

  /**
   * Python's {@code conn.close()}: what was sent stays readable at the other end, which then gets
   * EOF. Sends still waiting for room here are not sent. The actor stays until the other end has
   * confirmed the last message and the goodbye, or is gone, so that closing right after a send
   * loses nothing.
   */
  private Behavior<Command> onClose(CloseCall close) {
    deregister();
    close.result().complete(null); // before the calls fail: closing is what this one asked for
    calls.stop(new PipeClosedException("this end (" + side + ") of " + pipe() + " is closed"));
    if (channel != null) {
      channel.close();
      if (!switching) return Behaviors.stopped();
      closeAfterRoute = true; // the marker still comes: the calls it hands over fail as closed
      return this;
    }
    if (link == null || otherEndDone != null) return Behaviors.stopped();
    if (!greeted && (offer != null || dialing)) {
      // the ends are choosing how to talk: the goodbye goes the way they choose
      closeAfterRoute = true;
      return this;
    }
    return closeThroughLink();
  }

  private Behavior<Command> closeThroughLink() {
    closing = true;
    link.send(new Bye(window.sent()));
    link.flush();
    return afterLink();
  }

  private Behavior<Command> onPostStop() {
    String out = OwnNode.outOfCluster(getContext().getSystem());
    calls.stop(
        new PipeClosedException(
            "this end ("
                + side
                + ") of "
                + pipe()
                + " is closed ("
                + (out != null ? out : "its actor system stopped")
                + ")"));
    closeListener();
    closeAccepted();
    if (channel != null) channel.abort(); // after a close, nothing: it is closed already
    return this;
  }
}
