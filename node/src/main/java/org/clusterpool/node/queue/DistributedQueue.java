package org.clusterpool.node.queue;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.InvalidActorNameException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.clusterpool.node.handle.ItemBudget;
import org.clusterpool.node.handle.Names;
import org.clusterpool.node.handle.Waits;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.wire.Values;

/**
 * A handle on a named queue of the cluster, like Python's {@code multiprocessing.Queue} (or {@code
 * JoinableQueue}). Create the queue once, on any node; look it up by name from any other (a task
 * does so with {@code NodeTaskContext.systemOf(context)}). Every handle may put and get; items are
 * typed by a {@link ValueType} and travel as data, never as code.
 *
 * <pre>{@code
 * DistributedQueue<Long> q = DistributedQueue.create(system, "jobs", ValueTypes.LONG, 8); // q = Queue(maxsize=8)
 * q.put(42L);                                                                            // q.put(42)
 * long x = q.get(Duration.ofSeconds(1));                                                 // q.get(timeout=1)
 * }</pre>
 *
 * <p><b>Guarantees.</b>
 *
 * <ul>
 *   <li><b>Backpressure.</b> A put into a full queue does not return until there is room: nothing
 *       is dropped and nothing grows. With a timeout it throws {@link QueueFullException} instead,
 *       and the item is not in.
 *   <li><b>Order.</b> Items come out in the order they went in; the items of one handle stay in the
 *       order it put them (FIFO per producer). An item delivered again (below) comes out first.
 *   <li><b>Nothing lost on the way, nothing applied twice.</b> Every message between a handle and
 *       its queue is numbered and confirmed: one the transport lost is sent again ({@code
 *       clusterpool.queue.resend-after}), one that comes twice is taken once.
 *   <li><b>Delivery.</b> The queue keeps each item it hands out until it is acknowledged. A plain
 *       queue's handle acknowledges an item once its get has returned it: an item on its way to a
 *       handle that stops (its JVM crashed, its node left the cluster, it was {@link #detach()
 *       detached}) goes back to the front and is delivered again, to another consumer; once a get
 *       has returned it, it is the caller's, as with Python's {@code Queue}. A joinable queue's
 *       item is acknowledged by {@link #taskDone()}: one not yet done when its handle stops is
 *       delivered again, so work is done at least once (twice if the consumer died after the work
 *       and before {@code taskDone}). Either way an item comes out twice only when its consumer
 *       died before its acknowledgement reached the queue.
 *   <li><b>No call waits for a queue that cannot answer.</b> A handle whose queue does not answer
 *       for {@code clusterpool.queue.give-up-after} fails its calls with {@link
 *       QueueUnavailableException}; the queue treats a handle silent that long as stopped.
 *   <li><b>Size.</b> An item larger than {@code clusterpool.queue.max-item-bytes} on the wire fails
 *       its put at once with {@link IllegalArgumentException}: every message carries one item, and
 *       must fit the transport's frame.
 *   <li><b>Close.</b> {@link #close()} closes the queue for everyone (Python's {@code
 *       Queue.shutdown()}): puts, waiting or new, fail with {@link QueueClosedException}; gets take
 *       what is left and then fail with it (a get waits while items are still out unacknowledged,
 *       since one may come back).
 *   <li><b>Where it lives.</b> The queue is an actor on the node that created it. If that node
 *       leaves the cluster, the queue and its items are gone: calls fail with {@link
 *       QueueUnavailableException}.
 * </ul>
 *
 * <p>Handles are thread-safe. The blocking calls answer interrupts; the {@code ...Async} calls
 * return stages completed on the actor system's dispatcher (cancelling a get's stage gives its item
 * back to the queue).
 */
public final class DistributedQueue<T> {
  private static final AtomicLong CLIENTS = new AtomicLong();
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  private final ActorRef<QueueClient.Command> client;
  private final QueueInfo info;
  private final ValueType<T> type;
  private final QueueHandleState shared;
  private final ItemBudget budget;
  private final AtomicLong requestIds = new AtomicLong();

  private DistributedQueue(
      ActorRef<QueueClient.Command> client,
      QueueInfo info,
      ValueType<T> type,
      QueueHandleState shared,
      ItemBudget budget) {
    this.client = client;
    this.info = info;
    this.type = type;
    this.shared = shared;
    this.budget = budget;
  }

  // ---- creating and finding

  /**
   * {@code Queue(maxsize)}: creates the queue {@code name} on this node and returns a handle on it.
   * {@code maxsize} 0 means unbounded. Refused when the cluster already knows a queue of that name.
   */
  public static <T> DistributedQueue<T> create(
      ActorSystem<?> system, String name, ValueType<T> type, int maxsize) {
    return create(system, name, type, maxsize, false);
  }

  /**
   * {@code JoinableQueue(maxsize)}: each item taken must be marked done with {@link #taskDone()};
   * {@link #join()} waits for all.
   */
  public static <T> DistributedQueue<T> createJoinable(
      ActorSystem<?> system, String name, ValueType<T> type, int maxsize) {
    return create(system, name, type, maxsize, true);
  }

  private static <T> DistributedQueue<T> create(
      ActorSystem<?> system, String name, ValueType<T> type, int maxsize, boolean joinable) {
    Names.check("queue", name);
    if (maxsize < 0)
      throw new IllegalArgumentException("maxsize must be 0 (unbounded) or more, got " + maxsize);
    ServiceKey<QueueActor.Command> key = QueueActor.serviceKey(name);
    Receptionist.Listing listing =
        Waits.joinAsk(
            AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
                system.receptionist(),
                replyTo -> Receptionist.find(key, replyTo),
                ASK_TIMEOUT,
                system.scheduler()),
            ASK_TIMEOUT);
    if (!listing.getServiceInstances(key).isEmpty()) {
      throw new IllegalArgumentException(
          "a queue named '"
              + name
              + "' already exists: "
              + listing.getServiceInstances(key).iterator().next().path());
    }
    QueueSettings settings = QueueSettings.fromConfig(system.settings().config());
    QueueInfo info = new QueueInfo(name, type.name(), maxsize, joinable);
    ActorRef<QueueActor.Command> queue;
    try {
      queue =
          system.systemActorOf(QueueActor.create(info, settings), "queue-" + name, Props.empty());
    } catch (InvalidActorNameException e) {
      throw new IllegalArgumentException("a queue named '" + name + "' already exists in this JVM");
    }
    return Waits.join(connect(system, name, queue, type, settings));
  }

  /**
   * A handle on the queue {@code name}, created on any node of the cluster: waits until the name is
   * known here ({@code clusterpool.queue.lookup-timeout}), or throws {@link
   * QueueUnavailableException}.
   */
  public static <T> DistributedQueue<T> lookup(
      ActorSystem<?> system, String name, ValueType<T> type) {
    return Waits.join(lookupAsync(system, name, type));
  }

  /** As {@link #lookup}, without blocking: for tasks and actors. */
  public static <T> CompletionStage<DistributedQueue<T>> lookupAsync(
      ActorSystem<?> system, String name, ValueType<T> type) {
    Names.check("queue", name);
    return connect(system, name, null, type, QueueSettings.fromConfig(system.settings().config()));
  }

  private static <T> CompletableFuture<DistributedQueue<T>> connect(
      ActorSystem<?> system,
      String name,
      ActorRef<QueueActor.Command> queue,
      ValueType<T> type,
      QueueSettings settings) {
    QueueHandleState shared = new QueueHandleState();
    CompletableFuture<QueueInfo> ready = new CompletableFuture<>();
    ActorRef<QueueClient.Command> client =
        system.systemActorOf(
            QueueClient.create(name, queue, settings, shared, ready),
            "queue-" + name + "-client-" + CLIENTS.incrementAndGet(),
            Props.empty());
    ItemBudget budget =
        new ItemBudget(
            system,
            settings.maxItemBytes(),
            "clusterpool.queue.max-item-bytes",
            "an item of queue '" + name + "'");
    return ready.thenApply(
        info -> {
          if (!info.typeName().equals(type.name())) {
            client.tell(QueueClient.Detach.INSTANCE);
            throw new IllegalArgumentException(
                "queue '" + name + "' holds " + info.typeName() + " items, not " + type.name());
          }
          return new DistributedQueue<>(client, info, type, shared, budget);
        });
  }

  // ---- what it is

  public String name() {
    return info.name();
  }

  /** The most items the queue holds; 0: unbounded. */
  public int maxsize() {
    return info.maxsize();
  }

  public boolean joinable() {
    return info.joinable();
  }

  public ValueType<T> type() {
    return type;
  }

  // ---- put

  /** {@code q.put(item)}: waits while the queue is full. */
  public void put(T item) throws InterruptedException {
    Waits.await(putCall(item, Waits.FOREVER));
  }

  /**
   * {@code q.put(item, timeout=...)}: {@link QueueFullException} if there was no room in time; zero
   * does not wait ({@code put_nowait}); one longer than {@link Waits#LONGEST} (24 days, however
   * long: {@code Duration.ofSeconds(Long.MAX_VALUE)} too) waits that long, as good as without end.
   */
  public void put(T item, Duration timeout) throws InterruptedException, QueueFullException {
    Waits.await(putCall(item, Waits.millis(timeout)), QueueFullException.class);
  }

  /**
   * Completes once the item is in the queue; fails with {@link QueueClosedException}, never with
   * "full".
   */
  public CompletionStage<Void> putAsync(T item) {
    return putCall(item, Waits.FOREVER);
  }

  /** Completes once the item is in, or fails with {@link QueueFullException} after the timeout. */
  public CompletionStage<Void> putAsync(T item, Duration timeout) {
    return putCall(item, Waits.millis(timeout));
  }

  private CompletableFuture<Void> putCall(T item, long timeoutMillis) {
    Objects.requireNonNull(item, "item");
    Values value = budget.check(type.encode(List.of(item)));
    long id = requestIds.incrementAndGet();
    CompletableFuture<Void> result = track(id, new CompletableFuture<>());
    client.tell(new QueueClient.PutCall(id, value, timeoutMillis, System.nanoTime(), result));
    return result;
  }

  // ---- get

  /** {@code q.get()}: waits for an item. */
  public T get() throws InterruptedException {
    return Waits.await(getCall(Waits.FOREVER));
  }

  /**
   * {@code q.get(timeout=...)}: {@link QueueEmptyException} if no item came in time; zero does not
   * wait ({@code get_nowait}); one longer than {@link Waits#LONGEST} (24 days, however long) waits
   * that long, as good as without end.
   */
  public T get(Duration timeout) throws InterruptedException, QueueEmptyException {
    return Waits.await(getCall(Waits.millis(timeout)), QueueEmptyException.class);
  }

  public CompletionStage<T> getAsync() {
    return getCall(Waits.FOREVER);
  }

  public CompletionStage<T> getAsync(Duration timeout) {
    return getCall(Waits.millis(timeout));
  }

  private CompletableFuture<T> getCall(long timeoutMillis) {
    long id = requestIds.incrementAndGet();
    CompletableFuture<T> result = track(id, new CompletableFuture<>());
    client.tell(
        new QueueClient.GetCall<>(
            id, timeoutMillis, System.nanoTime(), values -> type.decode(values, 0), result));
    return result;
  }

  // ---- JoinableQueue

  /**
   * {@code q.task_done()}: the oldest item taken through this handle and not yet done is done; once
   * every item put is done, {@link #join()} returns. Until then the item is delivered again if this
   * handle's JVM dies.
   */
  public void taskDone() {
    requireJoinable("taskDone");
    long before = shared.unfinished.getAndUpdate(n -> n > 0 ? n - 1 : n);
    if (before == 0) {
      throw new IllegalStateException(
          "taskDone() called more times than items were taken through this handle"
              + " (Python: ValueError: task_done() called too many times)");
    }
    client.tell(QueueClient.TaskDone.INSTANCE);
  }

  /**
   * {@code q.join()}: waits until every item put has been taken and marked done, by whichever
   * handle.
   */
  public void join() throws InterruptedException {
    requireJoinable("join");
    long id = requestIds.incrementAndGet();
    CompletableFuture<Void> result = track(id, new CompletableFuture<>());
    client.tell(new QueueClient.JoinCall(id, result));
    Waits.await(result);
  }

  private void requireJoinable(String call) {
    if (!info.joinable()) {
      throw new IllegalStateException(
          call
              + ": queue '"
              + info.name()
              + "' is not joinable (create it with DistributedQueue.createJoinable)");
    }
  }

  // ---- the queue itself

  /** {@code q.qsize()}: items waiting now (not counting those taken and not yet done). */
  public int qsize() {
    return stats().size();
  }

  public QueueStats stats() {
    long id = requestIds.incrementAndGet();
    CompletableFuture<QueueStats> result = track(id, new CompletableFuture<>());
    client.tell(new QueueClient.StatsCall(id, result));
    return Waits.join(result);
  }

  /**
   * Closes the queue for every handle, like Python's {@code Queue.shutdown()}: puts fail with
   * {@link QueueClosedException} (those waiting for room too), gets take what is left and then fail
   * with it. Returns once the queue has closed.
   */
  public void close() {
    long id = requestIds.incrementAndGet();
    CompletableFuture<Void> result = track(id, new CompletableFuture<>());
    client.tell(new QueueClient.CloseCall(id, result));
    Waits.join(result);
  }

  /**
   * This handle is done: its actor stops, and the items it took without acknowledging them (on a
   * joinable queue, those not marked done) are delivered again. The queue goes on. Later calls on
   * this handle fail.
   */
  public void detach() {
    client.tell(QueueClient.Detach.INSTANCE);
  }

  // ---- this handle's counts

  /** Puts of this handle that went in. */
  public long puts() {
    return shared.puts.sum();
  }

  /** Puts of this handle that found the queue full and waited for room: backpressure, counted. */
  public long waitedPuts() {
    return shared.waitedPuts.sum();
  }

  /** Items this handle's gets returned. */
  public long gets() {
    return shared.gets.sum();
  }

  /** Of those, items that had gone to a consumer that died before acknowledging them. */
  public long redeliveredGets() {
    return shared.redeliveredGets.sum();
  }

  /**
   * Tracks a call until it ends; a caller that gives up on it (interrupt, cancel) withdraws it from
   * the queue.
   */
  private <R> CompletableFuture<R> track(long id, CompletableFuture<R> result) {
    shared.calls.track(result);
    result.whenComplete(
        (value, error) -> {
          if (result.isCancelled()) client.tell(new QueueClient.CancelCall(id));
        });
    return result;
  }

  @Override
  public String toString() {
    return "DistributedQueue("
        + info.name()
        + ", "
        + info.typeName()
        + ", maxsize "
        + info.maxsize()
        + (info.joinable() ? ", joinable)" : ")");
  }
}
