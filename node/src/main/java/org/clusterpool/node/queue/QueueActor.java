package org.clusterpool.node.queue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
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
import org.clusterpool.node.handle.Link;
import org.clusterpool.node.handle.Waits;
import org.clusterpool.node.wire.CborSerializable;
import org.clusterpool.node.wire.Values;

/**
 * One named queue, like a {@code multiprocessing.Queue} (or a {@code JoinableQueue}): many
 * producers and many consumers, on any nodes, each through a handle whose {@link QueueClient} talks
 * to this actor.
 *
 * <ul>
 *   <li><b>Bounded.</b> It holds at most {@code maxsize} items. A put into a full queue is parked
 *       here, item and all, and answered only when there is room (or its timeout passes): the
 *       producer waits. Each handle sends at most one window of puts at a time, so what waits here
 *       is bounded too.
 *   <li><b>Order.</b> Items leave in the order they came in; a producer's puts come in the order it
 *       sent them, so each producer's items stay in order (FIFO per producer). An item that comes
 *       back from a dead consumer goes to the front.
 *   <li><b>Nothing lost on the way.</b> Each client and this actor talk through a {@link Link} on
 *       each side: every message is numbered, confirmed, sent again when it was lost, and taken
 *       once, in order. So a lost put, delivery or acknowledgement delays its call by a resend and
 *       is never applied twice.
 *   <li><b>Re-delivery.</b> Every item handed to a consumer is remembered until the consumer
 *       acknowledges it (its handle does so once its get has returned the item; on a joinable
 *       queue, when the user calls {@code taskDone}). The queue watches every client: when one
 *       stops, its node leaves the cluster, or its link gives up on it, the items it held
 *       unacknowledged go back to the front and are delivered again.
 *   <li><b>Close.</b> Closing refuses new puts and every waiting put; gets go on until the last
 *       item is out and acknowledged, then fail. A closed, emptied queue answers "closed" for a
 *       while, then frees its name.
 * </ul>
 *
 * <p>Longer than most files: the requests of its wire protocol stay beside it (the style of the
 * project), and the items, the parked puts and gets, the deliveries of each client and the joiners
 * are one state that every request reads and {@code settle} brings back in order after each change.
 */
public final class QueueActor extends AbstractBehavior<QueueActor.Command> {

  /**
   * The receptionist key of the queue named {@code name}: how handles anywhere in the cluster find
   * it.
   */
  public static ServiceKey<Command> serviceKey(String name) {
    return ServiceKey.create(Command.class, "clusterpool-queue-" + name);
  }

  /**
   * Every queue of the cluster registers under this key too, so that a dashboard lists them all
   * ({@code Inventory}) and asks each what it holds ({@link Inspect}).
   */
  public static final ServiceKey<Command> ALL =
      ServiceKey.create(Command.class, "clusterpool-queues");

  public sealed interface Command
      permits FromClient, ClientSync, Inspect, Tick, Expired, LingerOver {}

  /**
   * What the queue holds now, for whoever looks on: answered at once, outside any client's link.
   */
  public record Inspect(ActorRef<QueueStats> replyTo) implements Command, CborSerializable {}

  /**
   * A numbered request of {@code client}, with the highest number of this queue's messages it has
   * taken.
   */
  public record FromClient(
      ActorRef<QueueClient.Command> client, long seq, long ack, Request request)
      implements Command, CborSerializable {}

  /** The state of {@code client}'s side of its link (see {@link Link}). */
  public record ClientSync(ActorRef<QueueClient.Command> client, Link.Sync sync)
      implements Command, CborSerializable {}

  /** What a client asks of the queue, each once and in order. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "r")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Describe.class, name = "describe"),
    @JsonSubTypes.Type(value = Put.class, name = "put"),
    @JsonSubTypes.Type(value = Get.class, name = "get"),
    @JsonSubTypes.Type(value = Ack.class, name = "ack"),
    @JsonSubTypes.Type(value = GiveBack.class, name = "give-back"),
    @JsonSubTypes.Type(value = Cancel.class, name = "cancel"),
    @JsonSubTypes.Type(value = Join.class, name = "join"),
    @JsonSubTypes.Type(value = GetStats.class, name = "stats"),
    @JsonSubTypes.Type(value = Close.class, name = "close")
  })
  public sealed interface Request
      permits Describe, Put, Get, Ack, GiveBack, Cancel, Join, GetStats, Close {}

  /** A handle's first request: the queue starts watching its client and answers with what it is. */
  public record Describe() implements Request {}

  /**
   * An item to add. Answered {@code Accepted} once it is in, {@code Refused(FULL)} when {@code
   * timeoutMillis} passed first (-1: no limit, 0: do not wait), {@code Refused(CLOSED)} when the
   * queue is or gets closed.
   */
  public record Put(long requestId, Values item, long timeoutMillis) implements Request {}

  /**
   * Takes the oldest item: answered {@code Delivered}, or {@code Refused(EMPTY)} after the timeout,
   * or {@code Refused(CLOSED)}.
   */
  public record Get(long requestId, long timeoutMillis) implements Request {}

  /** The consumer is done with a delivered item: the queue forgets it. */
  public record Ack(long deliveryId) implements Request {}

  /**
   * The handle could not hand a delivered item over (its get was cancelled meanwhile): it goes back
   * to the front.
   */
  public record GiveBack(long deliveryId) implements Request {}

  /** Nobody waits for this put, get or join any more: it stops waiting here, unanswered. */
  public record Cancel(long requestId) implements Request {}

  /**
   * {@code JoinableQueue.join()}: answered {@code Joined} once every item put has been taken and
   * acknowledged.
   */
  public record Join(long requestId) implements Request {}

  public record GetStats(long requestId) implements Request {}

  public record Close(long requestId) implements Request {}

  /** Time to ask silent clients what arrived, and to give up on those that stay silent. */
  private enum Tick implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** A waiting put or get reached its timeout; also the key of its timer. */
  private record Expired(ActorRef<QueueClient.Command> client, long requestId)
      implements Command, NoSerializationVerificationNeeded {}

  private enum LingerOver implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  public static Behavior<Command> create(QueueInfo info, QueueSettings settings) {
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new QueueActor(context, timers, info, settings)));
  }

  /** An item, and whether it already went to a consumer that died with it. */
  private record Item(Values value, boolean redelivered) {}

  private record ParkedPut(ActorRef<QueueClient.Command> client, long requestId, Values item) {}

  /** A get or a join that waits. */
  private record Waiter(ActorRef<QueueClient.Command> client, long requestId) {}

  /**
   * One client: the link to it, and the items it holds unacknowledged, in the order it got them.
   */
  private static final class Session {
    final Link<QueueClient.Answer> link;
    final LinkedHashMap<Long, Item> held = new LinkedHashMap<>();

    Session(Link<QueueClient.Answer> link) {
      this.link = link;
    }
  }

  private final QueueInfo info;
  private final QueueSettings settings;
  private final TimerScheduler<Command> timers;
  private final ServiceKey<Command> key;
  private final Deque<Item> items = new ArrayDeque<>();
  private final Map<ActorRef<QueueClient.Command>, Session> clients = new HashMap<>();
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

  private QueueActor(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      QueueInfo info,
      QueueSettings settings) {
    super(context);
    this.info = info;
    this.settings = settings;
    this.timers = timers;
    this.key = serviceKey(info.name());
    context.getSystem().receptionist().tell(Receptionist.register(key, context.getSelf()));
    context.getSystem().receptionist().tell(Receptionist.register(ALL, context.getSelf()));
    timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.resendAfter());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FromClient.class, this::onFromClient)
        .onMessage(ClientSync.class, this::onClientSync)
        .onMessage(Inspect.class, this::onInspect)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(Expired.class, this::onExpired)
        .onMessageEquals(LingerOver.INSTANCE, this::onLingerOver)
        .onSignal(
            Terminated.class,
            signal ->
                forget(
                    signal.getRef().<QueueClient.Command>unsafeUpcast(),
                    "stopped, or its node left the cluster"))
        .build();
  }

  // ---- the links

  /**
   * A client's first request opens its session (and the watch on it). Any later request of a client
   * without one belongs to a session this queue gave up: it is not applied, and the client learns
   * it from the answer.
   */
  private Behavior<Command> onFromClient(FromClient message) {
    ActorRef<QueueClient.Command> client = message.client();
    Session session = clients.get(client);
    if (session == null) {
      if (message.seq() != 1) {
        client.tell(new QueueClient.QueueSync(Link.Sync.unknown()));
        return this;
      }
      session =
          new Session(
              new Link<>(
                  new Link.Wire<>() {
                    @Override
                    public void send(long seq, long ack, QueueClient.Answer body) {
                      client.tell(new QueueClient.FromQueue(seq, ack, body));
                    }

                    @Override
                    public void sync(Link.Sync state) {
                      client.tell(new QueueClient.QueueSync(state));
                    }
                  },
                  settings.resendAfter(),
                  settings.giveUpAfter()));
      clients.put(client, session);
      getContext().watch(client);
    }
    if (session.link.accept(message.seq(), message.ack())) apply(client, message.request());
    return this;
  }

  private Behavior<Command> onClientSync(ClientSync message) {
    Session session = clients.get(message.client());
    if (session == null) {
      message.client().tell(new QueueClient.QueueSync(Link.Sync.unknown()));
      return this;
    }
    session.link.onSync(message.sync());
    if (session.link.dead() != null)
      forget(message.client(), "lost its session: " + session.link.dead());
    return this;
  }

  private Behavior<Command> onInspect(Inspect inspect) {
    if (inspect.replyTo() != null) inspect.replyTo().tell(stats());
    return this;
  }

  private Behavior<Command> onTick() {
    List<ActorRef<QueueClient.Command>> gone = new ArrayList<>();
    for (Map.Entry<ActorRef<QueueClient.Command>, Session> client : clients.entrySet()) {
      client.getValue().link.tick(false);
      if (client.getValue().link.dead() != null) gone.add(client.getKey());
    }
    for (ActorRef<QueueClient.Command> client : gone) {
      forget(
          client,
          "stopped answering: "
              + clients.get(client).link.dead()
              + " (clusterpool.queue.give-up-after)");
    }
    return this;
  }

  private void answer(ActorRef<QueueClient.Command> client, QueueClient.Answer answer) {
    Session session = clients.get(client);
    if (session != null) session.link.send(answer);
  }

  private void apply(ActorRef<QueueClient.Command> client, Request request) {
    if (request instanceof Describe) answer(client, new QueueClient.Described(info));
    else if (request instanceof Put put) onPut(client, put);
    else if (request instanceof Get get) onGet(client, get);
    else if (request instanceof Ack ack) onAck(client, ack);
    else if (request instanceof GiveBack giveBack) onGiveBack(client, giveBack);
    else if (request instanceof Cancel cancel) onCancel(client, cancel);
    else if (request instanceof Join join) onJoin(client, join);
    else if (request instanceof GetStats get)
      answer(client, new QueueClient.StatsReply(get.requestId(), stats()));
    else if (request instanceof Close close) onClose(client, close);
  }

  // ---- requests

  private void onPut(ActorRef<QueueClient.Command> client, Put put) {
    if (closed) {
      answer(client, new QueueClient.Refused(put.requestId(), QueueClient.Refusal.CLOSED));
    } else if (hasRoom() && parkedPuts.isEmpty()) {
      add(new Item(put.item(), false));
      answer(client, new QueueClient.Accepted(put.requestId(), false));
      settle();
    } else if (put.timeoutMillis() == 0) {
      answer(client, new QueueClient.Refused(put.requestId(), QueueClient.Refusal.FULL));
    } else {
      parkedPuts.add(new ParkedPut(client, put.requestId(), put.item()));
      highestParkedPuts = Math.max(highestParkedPuts, parkedPuts.size());
      startTimer(client, put.requestId(), put.timeoutMillis());
    }
  }

  private void onGet(ActorRef<QueueClient.Command> client, Get get) {
    if (!items.isEmpty()) {
      deliver(client, get.requestId());
      settle();
    } else if (closed && unacknowledged == 0) {
      answer(client, new QueueClient.Refused(get.requestId(), QueueClient.Refusal.CLOSED));
    } else if (get.timeoutMillis() == 0) {
      answer(client, new QueueClient.Refused(get.requestId(), QueueClient.Refusal.EMPTY));
    } else {
      // on a closed queue, a get waits while items are out: one may come back from a consumer that
      // dies
      parkedGets.add(new Waiter(client, get.requestId()));
      startTimer(client, get.requestId(), get.timeoutMillis());
    }
  }

  private void onAck(ActorRef<QueueClient.Command> client, Ack ack) {
    if (clients.get(client).held.remove(ack.deliveryId()) != null) {
      unacknowledged--;
      settle();
    }
  }

  private void onGiveBack(ActorRef<QueueClient.Command> client, GiveBack giveBack) {
    Item item = clients.get(client).held.remove(giveBack.deliveryId());
    if (item != null) {
      unacknowledged--;
      items.addFirst(item);
      settle();
    }
  }

  private void onCancel(ActorRef<QueueClient.Command> client, Cancel cancel) {
    timers.cancel(new Expired(client, cancel.requestId()));
    parkedPuts.removeIf(p -> p.client().equals(client) && p.requestId() == cancel.requestId());
    parkedGets.removeIf(w -> w.client().equals(client) && w.requestId() == cancel.requestId());
    joiners.removeIf(w -> w.client().equals(client) && w.requestId() == cancel.requestId());
  }

  private void onJoin(ActorRef<QueueClient.Command> client, Join join) {
    if (unfinished() == 0) {
      answer(client, new QueueClient.Joined(join.requestId()));
    } else {
      joiners.add(new Waiter(client, join.requestId()));
    }
  }

  private void onClose(ActorRef<QueueClient.Command> client, Close close) {
    if (!closed) {
      closed = true;
      for (ParkedPut put : parkedPuts) {
        timers.cancel(new Expired(put.client(), put.requestId()));
        answer(put.client(), new QueueClient.Refused(put.requestId(), QueueClient.Refusal.CLOSED));
      }
      parkedPuts.clear();
      getContext()
          .getLog()
          .debug(
              "queue {} closed with {} items waiting and {} out",
              info.name(),
              items.size(),
              unacknowledged);
    }
    answer(client, new QueueClient.Done(close.requestId()));
    settle();
  }

  private Behavior<Command> onExpired(Expired expired) {
    for (Iterator<ParkedPut> it = parkedPuts.iterator(); it.hasNext(); ) {
      ParkedPut put = it.next();
      if (put.client().equals(expired.client()) && put.requestId() == expired.requestId()) {
        it.remove();
        answer(put.client(), new QueueClient.Refused(put.requestId(), QueueClient.Refusal.FULL));
        return this;
      }
    }
    for (Iterator<Waiter> it = parkedGets.iterator(); it.hasNext(); ) {
      Waiter get = it.next();
      if (get.client().equals(expired.client()) && get.requestId() == expired.requestId()) {
        it.remove();
        answer(get.client(), new QueueClient.Refused(get.requestId(), QueueClient.Refusal.EMPTY));
        return this;
      }
    }
    return this;
  }

  /**
   * A client stopped, its node left the cluster, or its link gave up on it: what it held
   * unacknowledged goes back to the front, in the order it was taken, and whatever it was waiting
   * for is forgotten (a put it was waiting on was never accepted).
   */
  private Behavior<Command> forget(ActorRef<QueueClient.Command> client, String why) {
    Session session = clients.remove(client);
    if (session == null) return this;
    getContext().unwatch(client);
    List<Item> back = new ArrayList<>(session.held.values());
    for (ListIterator<Item> it = back.listIterator(back.size()); it.hasPrevious(); ) {
      items.addFirst(new Item(it.previous().value(), true));
    }
    unacknowledged -= back.size();
    redelivered += back.size();
    highestSize = Math.max(highestSize, items.size());
    if (!back.isEmpty() || session.link.dead() != null) {
      getContext()
          .getLog()
          .info(
              "queue {}: a client holding {} unacknowledged items {}; they go back to the front",
              info.name(),
              back.size(),
              why);
    }
    parkedPuts.removeIf(p -> forget(client, p.client(), p.requestId()));
    parkedGets.removeIf(w -> forget(client, w.client(), w.requestId()));
    joiners.removeIf(w -> w.client().equals(client));
    settle();
    return this;
  }

  private boolean forget(
      ActorRef<QueueClient.Command> gone, ActorRef<QueueClient.Command> client, long requestId) {
    if (!client.equals(gone)) return false;
    timers.cancel(new Expired(client, requestId));
    return true;
  }

  /**
   * After every change: waiting puts move in while there is room, waiting gets take what there is,
   * joins end.
   */
  private void settle() {
    boolean moved = true;
    while (moved) {
      moved = false;
      while (hasRoom() && !parkedPuts.isEmpty()) {
        ParkedPut put = parkedPuts.poll();
        timers.cancel(new Expired(put.client(), put.requestId()));
        add(new Item(put.item(), false));
        waitedPuts++;
        answer(put.client(), new QueueClient.Accepted(put.requestId(), true));
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
      for (Waiter join : joiners) answer(join.client(), new QueueClient.Joined(join.requestId()));
      joiners.clear();
    }
    if (closed && items.isEmpty() && unacknowledged == 0) {
      for (Waiter get : parkedGets) {
        timers.cancel(new Expired(get.client(), get.requestId()));
        answer(get.client(), new QueueClient.Refused(get.requestId(), QueueClient.Refusal.CLOSED));
      }
      parkedGets.clear();
      if (!lingering) {
        lingering = true;
        timers.startSingleTimer(LingerOver.INSTANCE, settings.closedLinger());
      }
    }
  }

  /**
   * The closed queue has been empty for a while: it frees its name and tells the handles that know
   * it.
   */
  private Behavior<Command> onLingerOver() {
    if (!items.isEmpty() || unacknowledged > 0) return this;
    getContext()
        .getSystem()
        .receptionist()
        .tell(Receptionist.deregister(key, getContext().getSelf()));
    getContext()
        .getSystem()
        .receptionist()
        .tell(Receptionist.deregister(ALL, getContext().getSelf()));
    for (ActorRef<QueueClient.Command> client : clients.keySet())
      answer(client, new QueueClient.QueueClosed());
    return Behaviors.stopped();
  }

  private void deliver(ActorRef<QueueClient.Command> client, long requestId) {
    Item item = items.poll();
    long deliveryId = ++nextDeliveryId;
    clients.get(client).held.put(deliveryId, item);
    unacknowledged++;
    delivered++;
    answer(
        client, new QueueClient.Delivered(requestId, deliveryId, item.value(), item.redelivered()));
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

  private void startTimer(
      ActorRef<QueueClient.Command> client, long requestId, long timeoutMillis) {
    if (timeoutMillis > 0) {
      Expired key = new Expired(client, requestId);
      timers.startSingleTimer(key, key, Waits.delay(timeoutMillis));
    }
  }

  private QueueStats stats() {
    return new QueueStats(
        info,
        closed,
        items.size(),
        unacknowledged,
        parkedPuts.size(),
        parkedGets.size(),
        clients.size(),
        highestSize,
        highestParkedPuts,
        accepted,
        waitedPuts,
        delivered,
        redelivered,
        getContext().getSystem().address().toString());
  }
}
