package org.clusterpool.node.pipe;

import java.io.EOFException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.clusterpool.node.handle.PendingCalls;
import org.clusterpool.node.wire.CborSerializable;
import org.clusterpool.node.wire.Values;

/**
 * One end of a named pipe, in the JVM of the {@link Connection} that uses it. It holds the messages sent to this
 * end and not yet read; the other end sends straight to it, over one connection between the two nodes, so the
 * messages of one direction arrive in the order they were sent.
 *
 * <p>The two ends find each other through the receptionist and shake hands ({@link Hello}: which end, what type,
 * duplex or not, and how many messages the sender may send before it waits). Room is granted back as the reader
 * takes messages ({@link Credit}), so an end never holds more than {@code clusterpool.pipe.buffer} unread messages
 * and a fast sender waits, as a writer into a full OS pipe does. Closing an end tells the other one after its last
 * message ({@link Bye}): that one reads what was sent, then gets EOF. An end whose node leaves counts as closed.
 */
public final class PipeEnd extends AbstractBehavior<PipeEnd.Command> {

  /** The receptionist key of one end of the pipe {@code name}. */
  public static ServiceKey<Command> serviceKey(String name, Pipe.End end) {
    return ServiceKey.create(Command.class, "clusterpool-pipe-" + name + "-" + end.label());
  }

  public sealed interface Command
      permits Hello, Message, Credit, Bye, SendCall, RecvCall, PollCall, CloseCall, GivenBack, Expired, PeerListing, OwnListing, LingerOver {}

  // ---- between the two ends

  /** The handshake: who this end is, and how many messages the other may send it before waiting for room. */
  public record Hello(ActorRef<Command> end, Pipe.End side, String typeName, boolean duplex, int credit)
      implements Command, CborSerializable {}

  /** One message; {@code seq} counts from 1 in each direction. */
  public record Message(long seq, Values item) implements Command, CborSerializable {}

  /** The reader took {@code count} messages: the sender may send that many more. */
  public record Credit(int count) implements Command, CborSerializable {}

  /** The other end closed after sending {@code sent} messages: EOF once they are read. */
  public record Bye(long sent) implements Command, CborSerializable {}

  // ---- calls of the connection, in this JVM only

  record SendCall(Values item, long timeoutMillis, CompletableFuture<Void> result) implements Command, NoSerializationVerificationNeeded {}

  record RecvCall<T>(Function<Values, T> decode, CompletableFuture<T> result) implements Command, NoSerializationVerificationNeeded {}

  /** True as soon as a recv would not wait (a message is there, or EOF); false after the timeout. */
  record PollCall(long timeoutMillis, CompletableFuture<Boolean> result) implements Command, NoSerializationVerificationNeeded {}

  record CloseCall(CompletableFuture<Void> result) implements Command, NoSerializationVerificationNeeded {}

  /** A message whose reader gave up before taking it: it goes back to the front. */
  private record GivenBack(Values item) implements Command, NoSerializationVerificationNeeded {}

  private record Expired(long callId) implements Command, NoSerializationVerificationNeeded {}

  private record PeerListing(Receptionist.Listing listing) implements Command, NoSerializationVerificationNeeded {}

  private record OwnListing(Receptionist.Listing listing) implements Command, NoSerializationVerificationNeeded {}

  private enum LingerOver implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** How long a broken end stays, so that the other end reads its handshake (and says what is wrong) before its stop. */
  private static final Duration BROKEN_LINGER = Duration.ofSeconds(2);

  static Behavior<Command> create(String name, Pipe.End side, String typeName, boolean duplex, PipeSettings settings, PendingCalls calls) {
    return Behaviors.setup(context -> Behaviors.withTimers(
        timers -> new PipeEnd(context, timers, name, side, typeName, duplex, settings, calls)));
  }

  private final TimerScheduler<Command> timers;
  private final String name;
  private final Pipe.End side;
  private final String typeName;
  private final boolean duplex;
  private final int buffer;
  private final PendingCalls calls;
  private final Executor executor;
  private final ServiceKey<Command> ownKey;
  private ActorRef<Command> peer;
  private boolean helloSent;
  private int credit;
  private long sentSeq;
  private long receivedSeq;
  private int takenSinceGrant;
  private final Deque<Values> inbox = new ArrayDeque<>();
  private final Deque<RecvCall<?>> waitingRecvs = new ArrayDeque<>();
  private final Map<Long, SendCall> waitingSends = new LinkedHashMap<>();
  private final Map<Long, PollCall> waitingPolls = new LinkedHashMap<>();
  private long nextCallId;
  /** Why nothing more will come from the other end (it closed, or is gone); null while it may still send. */
  private String otherEndDone;

  private PipeEnd(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      String name,
      Pipe.End side,
      String typeName,
      boolean duplex,
      PipeSettings settings,
      PendingCalls calls) {
    super(context);
    this.timers = timers;
    this.name = name;
    this.side = side;
    this.typeName = typeName;
    this.duplex = duplex;
    this.buffer = settings.buffer();
    this.calls = calls;
    this.executor = context.getSystem().executionContext();
    this.ownKey = serviceKey(name, side);
    // first make sure that this end is not open elsewhere already; then register, and look for the other end
    context.getSystem().receptionist().tell(
        Receptionist.find(ownKey, context.messageAdapter(Receptionist.Listing.class, OwnListing::new)));
  }

  private boolean canSend() {
    return duplex || side == Pipe.End.SECOND;
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
        .onMessage(Message.class, this::onMessage)
        .onMessage(Credit.class, this::onCredit)
        .onMessage(Bye.class, this::onBye)
        .onMessage(SendCall.class, this::onSend)
        .onMessage(RecvCall.class, this::onRecv)
        .onMessage(PollCall.class, this::onPoll)
        .onMessage(CloseCall.class, this::onClose)
        .onMessage(GivenBack.class, this::onGivenBack)
        .onMessage(Expired.class, this::onExpired)
        .onSignal(Terminated.class, signal -> onOtherEndGone())
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  private String pipe() {
    return "pipe '" + name + "'";
  }

  // ---- finding the other end

  private Behavior<Command> onOwnListing(OwnListing own) {
    for (ActorRef<Command> other : own.listing().getServiceInstances(ownKey)) {
      if (!other.equals(getContext().getSelf())) {
        String reason = "end " + side + " of " + pipe() + " is already open at " + other.path();
        getContext().getLog().warn(reason);
        calls.stop(new IllegalStateException(reason));
        return Behaviors.stopped();
      }
    }
    getContext().getSystem().receptionist().tell(Receptionist.register(ownKey, getContext().getSelf()));
    getContext().getSystem().receptionist().tell(Receptionist.subscribe(
        serviceKey(name, side.other()), getContext().messageAdapter(Receptionist.Listing.class, PeerListing::new)));
    return this;
  }

  private Behavior<Command> onPeerListing(PeerListing listing) {
    if (peer != null || otherEndDone != null) return this;
    listing.listing().getServiceInstances(serviceKey(name, side.other())).stream()
        .min(Comparator.comparing(ref -> ref.path().toString()))
        .ifPresent(this::connect);
    return this;
  }

  private void connect(ActorRef<Command> other) {
    peer = other;
    getContext().watch(other);
    if (!helloSent) {
      helloSent = true;
      other.tell(new Hello(getContext().getSelf(), side, typeName, duplex, canReceive() ? buffer : 0));
    }
  }

  private Behavior<Command> onHello(Hello hello) {
    if (peer != null && !peer.equals(hello.end())) {
      getContext().getLog().warn("{}: a second {} end at {} is ignored", pipe(), hello.side(), hello.end().path());
      return this;
    }
    if (hello.side() != side.other()) return broken(hello, "both ends of " + pipe() + " were opened as " + side);
    if (!hello.typeName().equals(typeName)) {
      return broken(hello, pipe() + ": the other end carries " + hello.typeName() + " messages, this one " + typeName);
    }
    if (hello.duplex() != duplex) return broken(hello, pipe() + ": one end was opened duplex and the other one-way");
    if (peer == null) connect(hello.end());
    credit += hello.credit();
    flushSends();
    return this;
  }

  /**
   * The ends do not match: this one cannot work, and every call on it fails with the reason. It answers the
   * handshake first and stays a moment, so that the other end learns the mismatch from it rather than from its stop.
   */
  private Behavior<Command> broken(Hello hello, String reason) {
    getContext().getLog().warn(reason);
    calls.stop(new IllegalStateException(reason));
    if (!helloSent) {
      helloSent = true;
      hello.end().tell(new Hello(getContext().getSelf(), side, typeName, duplex, 0));
    }
    getContext().getSystem().receptionist().tell(Receptionist.deregister(ownKey, getContext().getSelf()));
    timers.startSingleTimer(LingerOver.INSTANCE, BROKEN_LINGER);
    return Behaviors.receive(Command.class)
        .onMessageEquals(LingerOver.INSTANCE, Behaviors::stopped)
        .onAnyMessage(ignored -> Behaviors.same())
        .build();
  }

  // ---- sending

  private Behavior<Command> onSend(SendCall call) {
    if (calls.stopped() != null) return this;
    if (otherEndDone != null) {
      fail(call.result(), new PipeClosedException("broken pipe: " + otherEndDone));
    } else if (waitingSends.isEmpty() && credit > 0 && peer != null) {
      transmit(call);
    } else if (call.timeoutMillis() == 0) {
      fail(call.result(), noRoom(call));
    } else {
      long id = ++nextCallId;
      waitingSends.put(id, call);
      if (call.timeoutMillis() > 0) timers.startSingleTimer(new Expired(id), new Expired(id), Duration.ofMillis(call.timeoutMillis()));
    }
    return this;
  }

  private void transmit(SendCall call) {
    credit--;
    peer.tell(new Message(++sentSeq, call.item()));
    complete(call.result(), null);
  }

  private Behavior<Command> onCredit(Credit granted) {
    credit += granted.count();
    flushSends();
    return this;
  }

  private void flushSends() {
    Iterator<Map.Entry<Long, SendCall>> it = waitingSends.entrySet().iterator();
    while (credit > 0 && peer != null && it.hasNext()) {
      Map.Entry<Long, SendCall> waiting = it.next();
      it.remove();
      timers.cancel(new Expired(waiting.getKey()));
      if (!waiting.getValue().result().isDone()) transmit(waiting.getValue());
    }
  }

  private TimeoutException noRoom(SendCall call) {
    return new TimeoutException(peer == null
        ? "the other end of " + pipe() + " did not open within " + call.timeoutMillis() + " ms"
        : pipe() + " stayed full (" + buffer + " unread messages) for " + call.timeoutMillis() + " ms");
  }

  // ---- receiving

  private Behavior<Command> onMessage(Message message) {
    if (message.seq() != receivedSeq + 1) {
      getContext().getLog().error("{} lost messages {} to {}: the connection between the nodes broke", pipe(), receivedSeq + 1, message.seq() - 1);
    }
    receivedSeq = message.seq();
    inbox.add(message.item());
    serveRecvs();
    answerPolls();
    return this;
  }

  private Behavior<Command> onRecv(RecvCall<?> call) {
    if (calls.stopped() != null) return this;
    waitingRecvs.add(call);
    serveRecvs();
    return this;
  }

  private void serveRecvs() {
    while (!waitingRecvs.isEmpty() && !inbox.isEmpty()) {
      RecvCall<?> call = waitingRecvs.poll();
      if (!call.result().isDone()) handOver(call, inbox.poll());
    }
    if (otherEndDone != null && inbox.isEmpty()) {
      for (RecvCall<?> call : waitingRecvs) fail(call.result(), new EOFException(otherEndDone));
      waitingRecvs.clear();
    }
  }

  /** Gives the message to its reader on the dispatcher; a reader that gave up meanwhile gives it back. */
  private <T> void handOver(RecvCall<T> call, Values item) {
    grantRoom();
    ActorRef<Command> self = getContext().getSelf();
    executor.execute(() -> {
      T value;
      try {
        value = call.decode().apply(item);
      } catch (RuntimeException e) {
        call.result().completeExceptionally(new IllegalStateException(pipe() + " received a message this end cannot read: " + e.getMessage(), e));
        return;
      }
      if (!call.result().complete(value)) self.tell(new GivenBack(item));
    });
  }

  /** Every few messages taken, the other end may send that many more. */
  private void grantRoom() {
    takenSinceGrant++;
    if (takenSinceGrant >= Math.max(1, buffer / 2) && peer != null && otherEndDone == null) {
      peer.tell(new Credit(takenSinceGrant));
      takenSinceGrant = 0;
    }
  }

  private Behavior<Command> onGivenBack(GivenBack back) {
    inbox.addFirst(back.item());
    serveRecvs();
    return this;
  }

  private Behavior<Command> onPoll(PollCall call) {
    if (calls.stopped() != null) return this;
    if (!inbox.isEmpty() || otherEndDone != null) {
      complete(call.result(), true);
    } else if (call.timeoutMillis() == 0) {
      complete(call.result(), false);
    } else {
      long id = ++nextCallId;
      waitingPolls.put(id, call);
      if (call.timeoutMillis() > 0) timers.startSingleTimer(new Expired(id), new Expired(id), Duration.ofMillis(call.timeoutMillis()));
    }
    return this;
  }

  private void answerPolls() {
    for (Map.Entry<Long, PollCall> waiting : waitingPolls.entrySet()) {
      timers.cancel(new Expired(waiting.getKey()));
      complete(waiting.getValue().result(), true);
    }
    waitingPolls.clear();
  }

  private Behavior<Command> onExpired(Expired expired) {
    SendCall send = waitingSends.remove(expired.callId());
    if (send != null) fail(send.result(), noRoom(send));
    PollCall poll = waitingPolls.remove(expired.callId());
    if (poll != null) complete(poll.result(), false);
    return this;
  }

  // ---- the end of the other end, and of this one

  private Behavior<Command> onBye(Bye bye) {
    if (bye.sent() != receivedSeq) {
      getContext().getLog().error("{}: the other end sent {} messages, {} arrived", pipe(), bye.sent(), receivedSeq);
    }
    otherEndDone("the other end of " + pipe() + " was closed after sending " + bye.sent() + " messages");
    return this;
  }

  private Behavior<Command> onOtherEndGone() {
    otherEndDone("the other end of " + pipe() + " is gone (its node left the cluster, or its actor system stopped)");
    return this;
  }

  private void otherEndDone(String reason) {
    if (otherEndDone != null) return;
    otherEndDone = reason;
    for (Map.Entry<Long, SendCall> waiting : waitingSends.entrySet()) {
      timers.cancel(new Expired(waiting.getKey()));
      fail(waiting.getValue().result(), new PipeClosedException("broken pipe: " + reason));
    }
    waitingSends.clear();
    serveRecvs();
    answerPolls();
  }

  /**
   * Python's {@code conn.close()}: what was sent stays readable at the other end, which then gets EOF. Sends still
   * waiting for room here are not sent.
   */
  private Behavior<Command> onClose(CloseCall close) {
    if (peer != null) peer.tell(new Bye(sentSeq));
    getContext().getSystem().receptionist().tell(Receptionist.deregister(ownKey, getContext().getSelf()));
    close.result().complete(null); // before the calls fail: closing is what this one asked for
    calls.stop(new PipeClosedException("this end (" + side + ") of " + pipe() + " is closed"));
    return Behaviors.stopped();
  }

  private Behavior<Command> onPostStop() {
    calls.stop(new PipeClosedException("this end (" + side + ") of " + pipe() + " is closed (its actor system stopped)"));
    return this;
  }

  private <T> void complete(CompletableFuture<T> result, T value) {
    executor.execute(() -> result.complete(value));
  }

  private void fail(CompletableFuture<?> result, Exception error) {
    executor.execute(() -> result.completeExceptionally(error));
  }
}
