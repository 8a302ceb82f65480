package org.clusterpool.node.queue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.clusterpool.node.wire.CborSerializable;
import org.clusterpool.node.wire.Values;

/**
 * One named queue, like a {@code multiprocessing.Queue} (or a {@code JoinableQueue}): many producers and many
 * consumers, on any nodes, each through a handle whose {@link QueueClient} talks to this actor.
 *
 * <ul>
 *   <li><b>Bounded.</b> It holds at most {@code maxsize} items. A put into a full queue is parked here, item and
 *       all, and answered only when there is room (or its timeout passes): the producer waits. Each handle sends at
 *       most one window of puts at a time, so what waits here is bounded too.
 *   <li><b>Order.</b> Items leave in the order they came in; a producer's puts come in the order it sent them, so
 *       each producer's items stay in order (FIFO per producer). An item that comes back from a dead consumer goes
 *       to the front.
 *   <li><b>At least once.</b> Every item handed to a consumer is remembered until the consumer acknowledges it
 *       (its handle does so when it hands the item over; on a joinable queue, when the user calls {@code taskDone}).
 *       The queue watches every client: when one stops or its node leaves the cluster, the items it held
 *       unacknowledged go back to the front of the queue and are delivered again.
 *   <li><b>Close.</b> Closing refuses new puts and every waiting put; gets go on until the last item is out and
 *       acknowledged, then fail. A closed, emptied queue answers "closed" for a while, then frees its name.
 * </ul>
 */
public final class QueueActor extends AbstractBehavior<QueueActor.Command> {

  /** The receptionist key of the queue named {@code name}: how handles anywhere in the cluster find it. */
  public static ServiceKey<Command> serviceKey(String name) {
    return ServiceKey.create(Command.class, "clusterpool-queue-" + name);
  }

  public sealed interface Command permits Describe, Put, Get, Ack, GiveBack, Cancel, Join, GetStats, Close, Expired, LingerOver {}

  /** A handle's first message: the queue starts watching its client and answers with what it is. */
  public record Describe(ActorRef<QueueClient.Command> client) implements Command, CborSerializable {}

  /**
   * An item to add. Answered {@code Accepted} once it is in, {@code Refused(FULL)} when {@code timeoutMillis} passed
   * first (-1: no limit, 0: do not wait), {@code Refused(CLOSED)} when the queue is or gets closed.
   */
  public record Put(long requestId, Values item, long timeoutMillis, ActorRef<QueueClient.Command> client)
      implements Command, CborSerializable {}

  /** Takes the oldest item: answered {@code Delivered}, or {@code Refused(EMPTY)} after the timeout, or {@code Refused(CLOSED)}. */
  public record Get(long requestId, long timeoutMillis, ActorRef<QueueClient.Command> client) implements Command, CborSerializable {}

  /** The consumer is done with a delivered item: the queue forgets it. */
  public record Ack(long deliveryId, ActorRef<QueueClient.Command> client) implements Command, CborSerializable {}

  /** The handle could not hand a delivered item over (its get was cancelled meanwhile): it goes back to the front. */
  public record GiveBack(long deliveryId, ActorRef<QueueClient.Command> client) implements Command, CborSerializable {}

  /** Nobody waits for this put, get or join any more: it stops waiting here, unanswered. */
  public record Cancel(long requestId, ActorRef<QueueClient.Command> client) implements Command, CborSerializable {}

  /** {@code JoinableQueue.join()}: answered {@code Joined} once every item put has been taken and acknowledged. */
  public record Join(long requestId, ActorRef<QueueClient.Command> client) implements Command, CborSerializable {}

  public record GetStats(long requestId, ActorRef<QueueClient.Command> client) implements Command, CborSerializable {}

  public record Close(long requestId, ActorRef<QueueClient.Command> client) implements Command, CborSerializable {}

  /** A waiting put or get reached its timeout; also the key of its timer. */
  private record Expired(ActorRef<QueueClient.Command> client, long requestId) implements Command, NoSerializationVerificationNeeded {}

  private enum LingerOver implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  public static Behavior<Command> create(QueueInfo info, QueueSettings settings) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new QueueActor(context, timers, info, settings)));
  }

  /** An item, and whether it already went to a consumer that died with it. */
  private record Item(Values value, boolean redelivered) {}

  private record ParkedPut(ActorRef<QueueClient.Command> client, long requestId, Values item) {}

  /** A get or a join that waits. */
  private record Waiter(ActorRef<QueueClient.Command> client, long requestId) {}

  private final QueueInfo info;
  private final QueueSettings settings;
  private final TimerScheduler<Command> timers;
  private final ServiceKey<Command> key;
  private final Deque<Item> items = new ArrayDeque<>();
  /** Per client, the items it holds unacknowledged, in the order it got them. */
  private final Map<ActorRef<QueueClient.Command>, LinkedHashMap<Long, Item>> clients = new HashMap<>();
  private final Deque<ParkedPut> parkedPuts = new ArrayDeque<>();
  private final Deque<Waiter> parkedGets = new ArrayDeque<>();
  private final List<Waiter> joiners = new ArrayList<>();
  private int unacknowledged;
  private long nextDeliveryId;
  private boolean closed;
  private boolean lingering;
  private int highestSize;
  private int highestParkedPuts;
  private long accepted;
  private long waitedPuts;
  private long delivered;
  private long redelivered;

  private QueueActor(ActorContext<Command> context, TimerScheduler<Command> timers, QueueInfo info, QueueSettings settings) {
    super(context);
    this.info = info;
    this.settings = settings;
    this.timers = timers;
    this.key = serviceKey(info.name());
    context.getSystem().receptionist().tell(Receptionist.register(key, context.getSelf()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Describe.class, this::onDescribe)
        .onMessage(Put.class, this::onPut)
        .onMessage(Get.class, this::onGet)
        .onMessage(Ack.class, this::onAck)
        .onMessage(GiveBack.class, this::onGiveBack)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(Join.class, this::onJoin)
        .onMessage(GetStats.class, this::onGetStats)
        .onMessage(Close.class, this::onClose)
        .onMessage(Expired.class, this::onExpired)
        .onMessageEquals(LingerOver.INSTANCE, this::onLingerOver)
        .onSignal(Terminated.class, this::onClientStopped)
        .build();
  }

  /** The unacknowledged items of {@code client}; the first message of a client starts the watch on it. */
  private LinkedHashMap<Long, Item> known(ActorRef<QueueClient.Command> client) {
    LinkedHashMap<Long, Item> held = clients.get(client);
    if (held == null) {
      held = new LinkedHashMap<>();
      clients.put(client, held);
      getContext().watch(client);
    }
    return held;
  }

  private Behavior<Command> onDescribe(Describe describe) {
    known(describe.client());
    describe.client().tell(new QueueClient.Described(info));
    return this;
  }

  private Behavior<Command> onPut(Put put) {
    known(put.client());
    if (closed) {
      put.client().tell(new QueueClient.Refused(put.requestId(), QueueClient.Refusal.CLOSED));
    } else if (hasRoom() && parkedPuts.isEmpty()) {
      add(new Item(put.item(), false));
      put.client().tell(new QueueClient.Accepted(put.requestId(), false));
      settle();
    } else if (put.timeoutMillis() == 0) {
      put.client().tell(new QueueClient.Refused(put.requestId(), QueueClient.Refusal.FULL));
    } else {
      parkedPuts.add(new ParkedPut(put.client(), put.requestId(), put.item()));
      highestParkedPuts = Math.max(highestParkedPuts, parkedPuts.size());
      startTimer(put.client(), put.requestId(), put.timeoutMillis());
    }
    return this;
  }

  private Behavior<Command> onGet(Get get) {
    known(get.client());
    if (!items.isEmpty()) {
      deliver(get.client(), get.requestId());
      settle();
    } else if (closed && unacknowledged == 0) {
      get.client().tell(new QueueClient.Refused(get.requestId(), QueueClient.Refusal.CLOSED));
    } else if (get.timeoutMillis() == 0) {
      get.client().tell(new QueueClient.Refused(get.requestId(), QueueClient.Refusal.EMPTY));
    } else {
      // on a closed queue, a get waits while items are out: one may come back from a consumer that dies
      parkedGets.add(new Waiter(get.client(), get.requestId()));
      startTimer(get.client(), get.requestId(), get.timeoutMillis());
    }
    return this;
  }

  private Behavior<Command> onAck(Ack ack) {
    LinkedHashMap<Long, Item> held = clients.get(ack.client());
    if (held != null && held.remove(ack.deliveryId()) != null) {
      unacknowledged--;
      settle();
    }
    return this;
  }

  private Behavior<Command> onGiveBack(GiveBack giveBack) {
    LinkedHashMap<Long, Item> held = clients.get(giveBack.client());
    Item item = held == null ? null : held.remove(giveBack.deliveryId());
    if (item != null) {
      unacknowledged--;
      items.addFirst(item);
      settle();
    }
    return this;
  }

  private Behavior<Command> onCancel(Cancel cancel) {
    timers.cancel(new Expired(cancel.client(), cancel.requestId()));
    parkedPuts.removeIf(p -> p.client().equals(cancel.client()) && p.requestId() == cancel.requestId());
    parkedGets.removeIf(w -> w.client().equals(cancel.client()) && w.requestId() == cancel.requestId());
    joiners.removeIf(w -> w.client().equals(cancel.client()) && w.requestId() == cancel.requestId());
    return this;
  }

  private Behavior<Command> onJoin(Join join) {
    known(join.client());
    if (unfinished() == 0) {
      join.client().tell(new QueueClient.Joined(join.requestId()));
    } else {
      joiners.add(new Waiter(join.client(), join.requestId()));
    }
    return this;
  }

  private Behavior<Command> onGetStats(GetStats get) {
    known(get.client());
    get.client().tell(new QueueClient.StatsReply(get.requestId(), stats()));
    return this;
  }

  private Behavior<Command> onClose(Close close) {
    known(close.client());
    if (!closed) {
      closed = true;
      for (ParkedPut put : parkedPuts) {
        timers.cancel(new Expired(put.client(), put.requestId()));
        put.client().tell(new QueueClient.Refused(put.requestId(), QueueClient.Refusal.CLOSED));
      }
      parkedPuts.clear();
      getContext().getLog().debug("queue {} closed with {} items waiting and {} out", info.name(), items.size(), unacknowledged);
    }
    close.client().tell(new QueueClient.Done(close.requestId()));
    settle();
    return this;
  }

  private Behavior<Command> onExpired(Expired expired) {
    for (Iterator<ParkedPut> it = parkedPuts.iterator(); it.hasNext(); ) {
      ParkedPut put = it.next();
      if (put.client().equals(expired.client()) && put.requestId() == expired.requestId()) {
        it.remove();
        put.client().tell(new QueueClient.Refused(put.requestId(), QueueClient.Refusal.FULL));
        return this;
      }
    }
    for (Iterator<Waiter> it = parkedGets.iterator(); it.hasNext(); ) {
      Waiter get = it.next();
      if (get.client().equals(expired.client()) && get.requestId() == expired.requestId()) {
        it.remove();
        get.client().tell(new QueueClient.Refused(get.requestId(), QueueClient.Refusal.EMPTY));
        return this;
      }
    }
    return this;
  }

  /**
   * A client stopped, or its node left the cluster: what it held unacknowledged goes back to the front, in the
   * order it was taken, and whatever it was waiting for is forgotten (a put it was waiting on was never accepted).
   */
  private Behavior<Command> onClientStopped(Terminated terminated) {
    ActorRef<QueueClient.Command> client = terminated.getRef().unsafeUpcast();
    LinkedHashMap<Long, Item> held = clients.remove(client);
    if (held == null) return this;
    List<Item> back = new ArrayList<>(held.values());
    for (ListIterator<Item> it = back.listIterator(back.size()); it.hasPrevious(); ) {
      items.addFirst(new Item(it.previous().value(), true));
    }
    unacknowledged -= back.size();
    redelivered += back.size();
    highestSize = Math.max(highestSize, items.size());
    if (!back.isEmpty()) {
      getContext().getLog().info("queue {}: a consumer stopped holding {} items; they go back to the front", info.name(), back.size());
    }
    parkedPuts.removeIf(p -> forget(client, p.client(), p.requestId()));
    parkedGets.removeIf(w -> forget(client, w.client(), w.requestId()));
    joiners.removeIf(w -> w.client().equals(client));
    settle();
    return this;
  }

  private boolean forget(ActorRef<QueueClient.Command> gone, ActorRef<QueueClient.Command> client, long requestId) {
    if (!client.equals(gone)) return false;
    timers.cancel(new Expired(client, requestId));
    return true;
  }

  /** After every change: waiting puts move in while there is room, waiting gets take what there is, joins end. */
  private void settle() {
    boolean moved = true;
    while (moved) {
      moved = false;
      while (hasRoom() && !parkedPuts.isEmpty()) {
        ParkedPut put = parkedPuts.poll();
        timers.cancel(new Expired(put.client(), put.requestId()));
        add(new Item(put.item(), false));
        waitedPuts++;
        put.client().tell(new QueueClient.Accepted(put.requestId(), true));
        moved = true;
      }
      while (!items.isEmpty() && !parkedGets.isEmpty()) {
        Waiter get = parkedGets.poll();
        timers.cancel(new Expired(get.client(), get.requestId()));
        deliver(get.client(), get.requestId());
        moved = true;
      }
    }
    if (unfinished() == 0 && !joiners.isEmpty()) {
      for (Waiter join : joiners) join.client().tell(new QueueClient.Joined(join.requestId()));
      joiners.clear();
    }
    if (closed && items.isEmpty() && unacknowledged == 0) {
      for (Waiter get : parkedGets) {
        timers.cancel(new Expired(get.client(), get.requestId()));
        get.client().tell(new QueueClient.Refused(get.requestId(), QueueClient.Refusal.CLOSED));
      }
      parkedGets.clear();
      if (!lingering) {
        lingering = true;
        timers.startSingleTimer(LingerOver.INSTANCE, settings.closedLinger());
      }
    }
  }

  /** The closed queue has been empty for a while: it frees its name and tells the handles that know it. */
  private Behavior<Command> onLingerOver() {
    if (!items.isEmpty() || unacknowledged > 0) return this;
    getContext().getSystem().receptionist().tell(Receptionist.deregister(key, getContext().getSelf()));
    for (ActorRef<QueueClient.Command> client : clients.keySet()) client.tell(QueueClient.QueueClosed.INSTANCE);
    return Behaviors.stopped();
  }

  private void deliver(ActorRef<QueueClient.Command> client, long requestId) {
    Item item = items.poll();
    long deliveryId = ++nextDeliveryId;
    known(client).put(deliveryId, item);
    unacknowledged++;
    delivered++;
    client.tell(new QueueClient.Delivered(requestId, deliveryId, item.value(), item.redelivered()));
  }

  private void add(Item item) {
    items.add(item);
    accepted++;
    highestSize = Math.max(highestSize, items.size());
  }

  private boolean hasRoom() {
    return info.maxsize() <= 0 || items.size() < info.maxsize();
  }

  /** Python's {@code unfinished_tasks}: items put and not yet acknowledged. */
  private int unfinished() {
    return items.size() + unacknowledged;
  }

  private void startTimer(ActorRef<QueueClient.Command> client, long requestId, long timeoutMillis) {
    if (timeoutMillis > 0) {
      Expired key = new Expired(client, requestId);
      timers.startSingleTimer(key, key, Duration.ofMillis(timeoutMillis));
    }
  }

  private QueueStats stats() {
    return new QueueStats(info, closed, items.size(), unacknowledged, parkedPuts.size(), parkedGets.size(), clients.size(),
        highestSize, highestParkedPuts, accepted, waitedPuts, delivered, redelivered);
  }
}
