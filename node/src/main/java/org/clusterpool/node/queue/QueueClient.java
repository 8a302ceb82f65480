package org.clusterpool.node.queue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
import org.clusterpool.node.handle.Futures;
import org.clusterpool.node.handle.Handover;
import org.clusterpool.node.handle.Link;
import org.clusterpool.node.handle.Listings;
import org.clusterpool.node.handle.OwnNode;
import org.clusterpool.node.wire.CborSerializable;
import org.clusterpool.node.wire.Values;

/**
 * The actor behind one {@link DistributedQueue} handle, in the handle's JVM. It finds the queue,
 * forwards the handle's calls, and completes their futures. The queue watches it: when it stops, or
 * its JVM leaves the cluster, the items it held unacknowledged are delivered again.
 *
 * <p>It talks to the queue through a {@link Link}: every request and every answer is numbered,
 * confirmed, sent again if it was lost on the way, and taken once, in order. While it waits for an
 * answer it asks the queue how things stand every {@code clusterpool.queue.resend-after}; a queue
 * that does not answer for {@code clusterpool.queue.give-up-after} fails every call with {@link
 * QueueUnavailableException}, as a queue whose node left does.
 *
 * <p>It keeps at most one window of puts, and one of gets, on their way to the queue; further calls
 * wait here in order, so the queue never holds more than a window of waiting puts for one handle.
 * Futures are completed on the actor system's dispatcher, never on this actor's thread: a caller
 * that blocks in a callback does not stop this actor from answering. An item that cannot be handed
 * over (its get was cancelled) goes back to the queue.
 *
 * <p>Longer than most files: its messages (the answers of the queue are part of the wire protocol)
 * stay beside it, as the style of the project wants, and the rest is one state machine of the link,
 * the calls and the items on their way. The window of calls is {@link CallWindow}; what handles
 * share is in {@code node/handle}.
 */
public final class QueueClient extends AbstractBehavior<QueueClient.Command> {

  public sealed interface Command
      permits FromQueue,
          QueueSync,
          PutCall,
          GetCall,
          JoinCall,
          StatsCall,
          CloseCall,
          TaskDone,
          CancelCall,
          Detach,
          Offered,
          QueueListing,
          LookupExpired,
          Tick {}

  /**
   * A numbered answer of the queue, with the highest number of this client's requests it has taken.
   */
  public record FromQueue(long seq, long ack, Answer answer) implements Command, CborSerializable {}

  /** The state of the queue's side of the link (see {@link Link}). */
  public record QueueSync(Link.Sync sync) implements Command, CborSerializable {}

  // ---- answers of the queue, each taken once and in order

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "a")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Described.class, name = "described"),
    @JsonSubTypes.Type(value = Accepted.class, name = "accepted"),
    @JsonSubTypes.Type(value = Delivered.class, name = "delivered"),
    @JsonSubTypes.Type(value = Refused.class, name = "refused"),
    @JsonSubTypes.Type(value = Joined.class, name = "joined"),
    @JsonSubTypes.Type(value = StatsReply.class, name = "stats"),
    @JsonSubTypes.Type(value = Done.class, name = "done"),
    @JsonSubTypes.Type(value = QueueClosed.class, name = "queue-closed")
  })
  public sealed interface Answer
      permits Described, Accepted, Delivered, Refused, Joined, StatsReply, Done, QueueClosed {}

  public record Described(QueueInfo info) implements Answer {}

  /** The put is in; {@code waited}: it found the queue full and waited for room. */
  public record Accepted(long requestId, boolean waited) implements Answer {}

  public record Delivered(long requestId, long deliveryId, Values item, boolean redelivered)
      implements Answer {}

  public enum Refusal {
    FULL,
    EMPTY,
    CLOSED
  }

  public record Refused(long requestId, Refusal reason) implements Answer {}

  public record Joined(long requestId) implements Answer {}

  public record StatsReply(long requestId, QueueStats stats) implements Answer {}

  public record Done(long requestId) implements Answer {}

  /**
   * The queue was closed, emptied, and is about to stop: later calls fail as closed, not as lost.
   */
  public record QueueClosed() implements Answer {}

  // ---- calls of the handle, in this JVM only

  record PutCall(
      long requestId,
      Values item,
      long timeoutMillis,
      long startNanos,
      CompletableFuture<Void> result)
      implements Command, CallWindow.Timed, NoSerializationVerificationNeeded {}

  record GetCall<T>(
      long requestId,
      long timeoutMillis,
      long startNanos,
      Function<Values, T> decode,
      CompletableFuture<T> result)
      implements Command, CallWindow.Timed, NoSerializationVerificationNeeded {}

  record JoinCall(long requestId, CompletableFuture<Void> result)
      implements Command, NoSerializationVerificationNeeded {}

  record StatsCall(long requestId, CompletableFuture<QueueStats> result)
      implements Command, NoSerializationVerificationNeeded {}

  record CloseCall(long requestId, CompletableFuture<Void> result)
      implements Command, NoSerializationVerificationNeeded {}

  enum TaskDone implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** The caller gave up on a call (interrupted, or cancelled its future). */
  record CancelCall(long requestId) implements Command, NoSerializationVerificationNeeded {}

  enum Detach implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** What became of a delivered item on the way to its caller. */
  private record Offered(long deliveryId, Handover.Outcome outcome)
      implements Command, NoSerializationVerificationNeeded {}

  private record QueueListing(Receptionist.Listing listing)
      implements Command, NoSerializationVerificationNeeded {}

  /** Time to ask a silent queue what arrived, and to give up on one that stays silent. */
  private enum Tick implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  private enum LookupExpired implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /**
   * A client of the queue {@code queue} (created in this JVM), or of the queue found by {@code
   * name} through the receptionist when {@code queue} is null. {@code ready} completes with the
   * queue's description.
   */
  static Behavior<Command> create(
      String name,
      ActorRef<QueueActor.Command> queue,
      QueueSettings settings,
      QueueHandleState shared,
      CompletableFuture<QueueInfo> ready) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new QueueClient(context, timers, name, queue, settings, shared, ready)));
  }

  private final String name;
  private final QueueSettings settings;
  private final QueueHandleState shared;
  private final CompletableFuture<QueueInfo> ready;
  private final Executor executor;
  private ActorRef<QueueActor.Command> queue;
  private Link<QueueActor.Request> link;
  private QueueInfo info;
  private boolean queueClosed;

  /** Calls sent to the queue and not yet answered, by request id. */
  private final Map<Long, Command> sent = new HashMap<>();

  private final CallWindow<PutCall> puts;
  private final CallWindow<GetCall<?>> gets;

  /**
   * Joinable queue: items handed to the caller and not yet acknowledged, by delivery id (the oldest
   * first), and taskDone calls not yet matched with one.
   */
  private final TreeSet<Long> handedOver = new TreeSet<>();

  private int taskDones;

  /**
   * Items on their way to a caller, by delivery id, whose fate ({@link Offered}) this actor has not
   * heard yet.
   */
  private final TreeSet<Long> offering = new TreeSet<>();

  private boolean detaching;

  private QueueClient(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      String name,
      ActorRef<QueueActor.Command> queue,
      QueueSettings settings,
      QueueHandleState shared,
      CompletableFuture<QueueInfo> ready) {
    super(context);
    this.name = name;
    this.settings = settings;
    this.shared = shared;
    this.ready = ready;
    this.executor = context.getSystem().executionContext();
    this.puts = new CallWindow<>(settings.window());
    this.gets = new CallWindow<>(settings.window());
    if (queue != null) {
      connect(queue);
    } else {
      ServiceKey<QueueActor.Command> key = QueueActor.serviceKey(name);
      context
          .getSystem()
          .receptionist()
          .tell(
              Receptionist.subscribe(
                  key, context.messageAdapter(Receptionist.Listing.class, QueueListing::new)));
    }
    timers.startSingleTimer(LookupExpired.INSTANCE, settings.lookupTimeout());
    timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.resendAfter());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(QueueListing.class, this::onListing)
        .onMessageEquals(LookupExpired.INSTANCE, this::onLookupExpired)
        .onMessage(FromQueue.class, this::onFromQueue)
        .onMessage(QueueSync.class, this::onQueueSync)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(PutCall.class, this::onPutCall)
        .onMessage(GetCall.class, this::onGetCall)
        .onMessage(
            JoinCall.class,
            call -> send(call.requestId(), call, new QueueActor.Join(call.requestId())))
        .onMessage(
            StatsCall.class,
            call -> send(call.requestId(), call, new QueueActor.GetStats(call.requestId())))
        .onMessage(
            CloseCall.class,
            call -> send(call.requestId(), call, new QueueActor.Close(call.requestId())))
        .onMessageEquals(TaskDone.INSTANCE, this::onTaskDone)
        .onMessage(CancelCall.class, this::onCancelCall)
        .onMessageEquals(Detach.INSTANCE, this::onDetach)
        .onMessage(Offered.class, this::onOffered)
        .onSignal(Terminated.class, signal -> onQueueStopped())
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  private ActorRef<Command> self() {
    return getContext().getSelf();
  }

  // ---- finding the queue

  private Behavior<Command> onListing(QueueListing message) {
    if (queue != null) return this;
    Listings.pick(message.listing(), QueueActor.serviceKey(name)).ifPresent(this::connect);
    return this;
  }

  private void connect(ActorRef<QueueActor.Command> found) {
    queue = found;
    getContext().watch(found);
    ActorRef<Command> self = self();
    link =
        new Link<>(
            new Link.Wire<>() {
              @Override
              public void send(long seq, long ack, QueueActor.Request body) {
                found.tell(new QueueActor.FromClient(self, seq, ack, body));
              }

              @Override
              public void sync(Link.Sync state) {
                found.tell(new QueueActor.ClientSync(self, state));
              }
            },
            settings.resendAfter(),
            settings.giveUpAfter());
    link.send(new QueueActor.Describe());
  }

  // ---- the link

  private Behavior<Command> onFromQueue(FromQueue message) {
    if (link == null || !link.accept(message.seq(), message.ack())) return afterLink();
    Answer answer = message.answer();
    if (answer instanceof Described described) onDescribed(described);
    else if (answer instanceof Accepted accepted) onAccepted(accepted);
    else if (answer instanceof Delivered delivered) onDelivered(delivered);
    else if (answer instanceof Refused refused) onRefused(refused);
    else if (answer instanceof Joined joined) answered(joined.requestId(), null);
    else if (answer instanceof StatsReply stats) answered(stats.requestId(), stats.stats());
    else if (answer instanceof Done done) answered(done.requestId(), null);
    else if (answer instanceof QueueClosed) queueClosed = true;
    return afterLink();
  }

  private Behavior<Command> onQueueSync(QueueSync message) {
    if (link != null) link.onSync(message.sync());
    return afterLink();
  }

  private Behavior<Command> onTick() {
    if (link != null) link.tick(info == null || !sent.isEmpty() || detaching);
    return afterLink();
  }

  /**
   * After the link moved: a link that gave up fails every call; a detached handle stops once all is
   * confirmed.
   */
  private Behavior<Command> afterLink() {
    if (link != null && link.dead() != null) {
      RuntimeException reason =
          new QueueUnavailableException(
              "queue '"
                  + name
                  + "' stopped answering this handle: "
                  + link.dead()
                  + " (clusterpool.queue.give-up-after)");
      getContext().getLog().warn(reason.getMessage());
      ready.completeExceptionally(reason);
      shared.calls.stop(reason);
      return Behaviors.stopped();
    }
    return detaching && offering.isEmpty() && (link == null || link.unconfirmed() == 0)
        ? Behaviors.stopped()
        : this;
  }

  private Behavior<Command> onLookupExpired() {
    if (info != null) return this;
    ready.completeExceptionally(
        new QueueUnavailableException(
            "no queue named '"
                + name
                + "' answered within "
                + settings.lookupTimeout().toSeconds()
                + " s"));
    return Behaviors.stopped();
  }

  private void onDescribed(Described described) {
    if (info == null) {
      info = described.info();
      ready.complete(info);
    }
  }

  // ---- calls

  private Behavior<Command> onPutCall(PutCall call) {
    puts.add(call);
    sendPuts();
    return this;
  }

  private Behavior<Command> onGetCall(GetCall<?> call) {
    gets.add(call);
    sendGets();
    return this;
  }

  /**
   * Sends waiting puts while the window has room; one whose timeout passed while it waited here is
   * refused here.
   */
  private void sendPuts() {
    puts.letOut(
        call -> Futures.fail(executor, call.result(), full()),
        (call, timeout) ->
            send(
                call.requestId(),
                call,
                new QueueActor.Put(call.requestId(), call.item(), timeout)));
  }

  private void sendGets() {
    gets.letOut(
        call -> Futures.fail(executor, call.result(), empty()),
        (call, timeout) ->
            send(call.requestId(), call, new QueueActor.Get(call.requestId(), timeout)));
  }

  private Behavior<Command> send(long requestId, Command call, QueueActor.Request request) {
    sent.put(requestId, call);
    link.send(request);
    return this;
  }

  private Behavior<Command> onCancelCall(CancelCall cancel) {
    Command call = sent.remove(cancel.requestId());
    if (call == null)
      return this; // still waiting here (skipped when its turn comes) or already answered
    if (call instanceof PutCall) {
      puts.answered();
      sendPuts();
    } else if (call instanceof GetCall) {
      gets.answered();
      sendGets();
    }
    link.send(new QueueActor.Cancel(cancel.requestId()));
    return this;
  }

  private Behavior<Command> onTaskDone() {
    taskDones++;
    acknowledgeDone();
    return this;
  }

  /**
   * Each {@code taskDone} acknowledges the oldest item this handle handed over and that is not yet
   * done; an older one may still be on its way to the caller, so an item is acknowledged only when
   * none older is.
   */
  private void acknowledgeDone() {
    while (taskDones > 0
        && !handedOver.isEmpty()
        && (offering.isEmpty() || handedOver.first() < offering.first())) {
      taskDones--;
      link.send(new QueueActor.Ack(handedOver.pollFirst()));
    }
  }

  // ---- answers

  private void onAccepted(Accepted accepted) {
    if (!(sent.remove(accepted.requestId()) instanceof PutCall call))
      return; // cancelled meanwhile: it is in all the same
    puts.answered();
    shared.puts.increment();
    if (accepted.waited()) shared.waitedPuts.increment();
    Futures.complete(executor, call.result(), null);
    sendPuts();
  }

  /**
   * The link takes each answer once, so a delivery for a get nobody waits for is one whose get was
   * cancelled.
   */
  private void onDelivered(Delivered delivered) {
    String out = OwnNode.outOfCluster(getContext().getSystem());
    if (out != null && sent.remove(delivered.requestId()) instanceof GetCall<?> cut) {
      // this handle counts as dead to the queue, which delivers its items again to another
      // consumer (or did already): returned here as well, this item would come out twice. Given
      // back, in case the queue still counts this handle (its node only leaving): the queue takes
      // back only a delivery it still holds for it, so the item comes out once either way
      gets.answered();
      link.send(new QueueActor.GiveBack(delivered.deliveryId()));
      cut.result().completeExceptionally(cutOff(out));
      return;
    }
    if (!(sent.remove(delivered.requestId()) instanceof GetCall<?> call) || detaching) {
      link.send(new QueueActor.GiveBack(delivered.deliveryId()));
      return;
    }
    gets.answered();
    offering.add(delivered.deliveryId());
    offer(call, delivered);
    sendGets();
  }

  /**
   * Hands the item to its caller on the dispatcher. The caller may have given up meanwhile: then
   * the item goes back to the queue. On a joinable queue, the item counts as this handle's until
   * {@code taskDone}.
   */
  private <T> void offer(GetCall<T> call, Delivered delivered) {
    ActorRef<Command> self = self();
    boolean joinable = info.joinable();
    String cannotRead = "queue '" + name + "' delivered an item this handle cannot read";
    executor.execute(
        () -> {
          Handover.Outcome outcome =
              Handover.deliver(
                  delivered.item(),
                  call.decode(),
                  call.result(),
                  cannotRead,
                  () -> {
                    if (joinable) shared.unfinished.incrementAndGet();
                    shared.gets.increment();
                    if (delivered.redelivered()) shared.redeliveredGets.increment();
                  },
                  () -> {
                    if (joinable) shared.unfinished.decrementAndGet();
                    shared.gets.decrement();
                    if (delivered.redelivered()) shared.redeliveredGets.decrement();
                  });
          self.tell(new Offered(delivered.deliveryId(), outcome));
        });
  }

  /**
   * A plain queue's item is acknowledged once its get has returned it: from then on it is the
   * caller's, as with Python's queue. Until then it is the queue's, and comes back if this handle
   * dies.
   */
  private Behavior<Command> onOffered(Offered offered) {
    offering.remove(offered.deliveryId());
    if (offered.outcome() == Handover.Outcome.REFUSED) {
      link.send(new QueueActor.GiveBack(offered.deliveryId()));
    } else if (offered.outcome() == Handover.Outcome.UNREADABLE || !info.joinable()) {
      link.send(new QueueActor.Ack(offered.deliveryId()));
    } else {
      handedOver.add(offered.deliveryId());
    }
    acknowledgeDone();
    return afterLink();
  }

  /**
   * The handle is done: its calls fail from now on, and its gets stop waiting at the queue. Items
   * already handed to its caller are settled first (acknowledged, or matched with the taskDone
   * calls made before the detach), and the actor stops once the queue has confirmed all of it, so
   * that only what is really unfinished is delivered again.
   */
  private Behavior<Command> onDetach() {
    if (detaching) return this;
    detaching = true;
    shared.calls.stop(
        new QueueUnavailableException("this handle on queue '" + name + "' was detached"));
    if (link != null) {
      for (Map.Entry<Long, Command> call : sent.entrySet()) {
        if (call.getValue() instanceof GetCall<?>) link.send(new QueueActor.Cancel(call.getKey()));
      }
      link.flush();
    }
    return afterLink();
  }

  private void onRefused(Refused refused) {
    Command call = sent.remove(refused.requestId());
    if (refused.reason() == Refusal.CLOSED) queueClosed = true;
    if (call instanceof PutCall put) {
      puts.answered();
      Futures.fail(executor, put.result(), refused.reason() == Refusal.CLOSED ? closed() : full());
      sendPuts();
    } else if (call instanceof GetCall<?> get) {
      gets.answered();
      Futures.fail(executor, get.result(), refused.reason() == Refusal.CLOSED ? closed() : empty());
      sendGets();
    }
  }

  private void answered(long requestId, Object value) {
    Command call = sent.remove(requestId);
    if (call instanceof JoinCall join) Futures.complete(executor, join.result(), null);
    else if (call instanceof StatsCall stats)
      Futures.complete(executor, stats.result(), (QueueStats) value);
    else if (call instanceof CloseCall close) Futures.complete(executor, close.result(), null);
  }

  private QueueFullException full() {
    return new QueueFullException(
        "queue '"
            + name
            + "' stayed full (maxsize "
            + info.maxsize()
            + ") for the whole timeout of the put");
  }

  private QueueEmptyException empty() {
    return new QueueEmptyException(
        "queue '" + name + "' had no item for the whole timeout of the get");
  }

  private QueueClosedException closed() {
    return new QueueClosedException("queue '" + name + "' is closed");
  }

  // ---- the end

  /**
   * This handle's own node is out of the cluster ({@code out} says how): the queue counts it as a
   * consumer that died, and delivers the items it held again; the queue itself may be fine.
   */
  private QueueUnavailableException cutOff(String out) {
    return new QueueUnavailableException(
        "queue '"
            + name
            + "' cannot be reached from here: "
            + out
            + "; a JVM frozen or cut off longer than the cluster waits is downed, and the queue"
            + " counts its handles as dead (what they held unacknowledged goes to other"
            + " consumers)");
  }

  private Behavior<Command> onQueueStopped() {
    String out = queueClosed ? null : OwnNode.outOfCluster(getContext().getSystem());
    RuntimeException reason =
        queueClosed
            ? closed()
            : out != null
                ? cutOff(out)
                : new QueueUnavailableException(
                    "queue '"
                        + name
                        + "' is gone: the node that held it left the cluster, and its items with"
                        + " it");
    ready.completeExceptionally(reason);
    shared.calls.stop(reason);
    return Behaviors.stopped();
  }

  private Behavior<Command> onPostStop() {
    String out = OwnNode.outOfCluster(getContext().getSystem());
    RuntimeException reason =
        out != null
            ? cutOff(out)
            : new QueueUnavailableException("this handle on queue '" + name + "' was detached");
    ready.completeExceptionally(reason);
    shared.calls.stop(reason);
    return this;
  }
}
