package org.clusterpool.node.directlink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.clusterpool.node.pipe.FrameSocket;
import org.clusterpool.node.text.Escapes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One link's socket, between this JVM and the JVM at {@code remote}. A message is serialized as
 * Artery would (the same serializer, the same actor paths) and goes into the socket from the
 * sending thread when nothing waits before it; when the socket is full (the other JVM reads no more
 * for now: frozen, or busy), messages queue, in order, for the link's writing thread. A thread of
 * its own reads the socket and tells each message to the local actor it names.
 *
 * <p>The queue is bounded, as Artery's is: beyond {@code maxQueuedBytes}, a message is dropped with
 * a warning, and the coordinator's audit of what a worker holds finds it lost, as it finds a
 * message Artery dropped. On a side that {@code waitsForRoom} (a worker JVM's: its results, which a
 * coordinator busy with large ones may read slower than they are made), the sender first waits for
 * room while the other JVM reads, and drops only once it has read nothing for {@code stall} (a
 * frozen JVM): Artery's queue, counted in messages, holds 3072 results of any size.
 */
final class LinkConnection {
  private static final Logger log = LoggerFactory.getLogger(LinkConnection.class);

  private static final byte MESSAGE = 1;

  /** Names of recipients kept, each way, before the cache starts again. */
  private static final int MAX_NAMES = 4096;

  /** The longest name of a recipient kept (an actor's path is a few hundred characters). */
  private static final int MAX_NAME_KEPT = 1024;

  private final Address remote;
  private final FrameSocket socket;
  private final Serialization serialization;
  private final ActorRefResolver resolver;
  private final int maxFrameBytes;
  private final long maxQueuedBytes;
  private final Runnable onEnd;

  private final boolean waitsForRoom;
  private final long stallNanos;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition queued = lock.newCondition();
  private final Condition room = lock.newCondition();

  /** When the writer last wrote a frame, or began to wait with frames to write. */
  private long lastProgress = System.nanoTime();

  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
  private long queuedBytes;
  private long lastFullWarning = System.nanoTime() - FULL_WARNING_EVERY;
  private static final long FULL_WARNING_EVERY = 1_000_000_000L;
  private boolean writerBusy;
  private volatile boolean ended;

  /**
   * Whether it ended while the other JVM may still read what this one wrote (an error, or the other
   * side closing it), rather than with its member or its actor system: see {@link #send}.
   */
  private volatile boolean broken;

  private final AtomicBoolean finished = new AtomicBoolean();

  private final Map<ActorRef<?>, byte[]> recipientNames = new ConcurrentHashMap<>();

  /** On the reading thread only. */
  private final Map<String, ActorRef<Object>> recipients = new HashMap<>();

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  LinkConnection(
      ActorSystem<?> system,
      Address remote,
      SocketChannel channel,
      int maxFrameBytes,
      long maxQueuedBytes,
      boolean waitsForRoom,
      Duration stall,
      Runnable onEnd)
      throws IOException {
    this.remote = remote;
    this.socket = new FrameSocket(channel, maxPayload(maxFrameBytes));
    this.serialization = SerializationExtension.get(Adapter.toClassic(system));
    this.resolver = ActorRefResolver.get(system);
    this.maxFrameBytes = maxFrameBytes;
    this.maxQueuedBytes = maxQueuedBytes;
    this.waitsForRoom = waitsForRoom;
    this.stallNanos = stall.toNanos();
    this.onEnd = onEnd;
  }

  void start() {
    String name = remote.host().getOrElse(() -> "") + ":" + remote.port().getOrElse(() -> 0);
    daemon(this::readLoop, "clusterpool-link-reader-" + name).start();
    daemon(this::writeLoop, "clusterpool-link-writer-" + name).start();
  }

  private static Thread daemon(Runnable body, String name) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }

  Address remote() {
    return remote;
  }

  /** Whether nothing waits to be written: every message told so far is in the socket. */
  boolean drained() {
    lock.lock();
    try {
      return ended || (queue.isEmpty() && !writerBusy);
    } finally {
      lock.unlock();
    }
  }

  boolean broken() {
    return broken;
  }

  boolean open() {
    return !ended;
  }

  DirectLinks.Counts counts() {
    return new DirectLinks.Counts(remote, sent.get(), received.get(), dropped.get(), !ended);
  }

  // ---- sending

  /**
   * Sends {@code message} to {@code to} over the link: true once it is written or queued (or
   * dropped, as Artery would drop it); false if the link has ended with its member or its actor
   * system, and the caller sends it through the cluster.
   *
   * <p>A link that {@linkplain #broken broke} drops it instead: what it wrote before may still wait
   * in the other JVM's socket, unread, and a message through the cluster could overtake it (an
   * {@code Assign} before the one before it: its units would run twice). Its member is downed soon
   * (see {@link DirectLinks}), as Artery quarantines a member it cannot reach in order.
   */
  boolean send(ActorRef<?> to, Object message) {
    if (ended) return droppedIfBroken();
    byte[] payload;
    try {
      payload = encode(to, message);
    } catch (Exception | StackOverflowError e) { // Jackson's own errors are IOExceptions
      dropped.incrementAndGet();
      log.error(
          "a {} to {} could not be serialized, and was dropped: {}",
          message.getClass().getName(),
          to.path(),
          e.toString());
      return true;
    }
    if (payload.length > maxPayload(maxFrameBytes)) {
      dropped.incrementAndGet();
      log.error(
          "a {} to {} takes {} bytes, more than a message may ({}), and was dropped",
          message.getClass().getName(),
          to.path(),
          payload.length,
          maxFrameBytes);
      return true;
    }
    ByteBuffer frame = FrameSocket.frame(MESSAGE, payload);
    lock.lock();
    try {
      if (ended) return droppedIfBroken();
      if (queue.isEmpty() && !writerBusy) {
        if (socket.writeNow(frame)) {
          sent.incrementAndGet();
          return true;
        }
        lastProgress = System.nanoTime(); // the writer's wait starts now
      } else if (queuedBytes + frame.remaining() > maxQueuedBytes && !roomCame(frame.limit())) {
        if (ended) return droppedIfBroken();
        long total = dropped.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastFullWarning > FULL_WARNING_EVERY) { // not a line per message, a JVM frozen
          lastFullWarning = now;
          log.warn(
              "the link to {} has {} bytes waiting (its JVM reads no more for now): a {} to {} was"
                  + " dropped ({} dropped on this link so far)",
              remote,
              queuedBytes,
              message.getClass().getSimpleName(),
              to.path(),
              total);
        }
        return true;
      }
      queue.add(frame); // the rest of a frame begun above goes first, whatever the bound
      queuedBytes += frame.limit();
      queued.signal();
      return true;
    } catch (IOException e) {
      endLater("it could not be written: " + e);
      dropped.incrementAndGet();
      return true; // broken: the message is lost, as in a socket that Artery lost
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether the queue has room for {@code bytes} after waiting, on a side that {@code
   * waitsForRoom}, while the other JVM reads; with the lock held. An interrupted sender stops
   * waiting and its message is queued all the same: an interrupt must not lose a result.
   */
  private boolean roomCame(int bytes) {
    if (!waitsForRoom) return false;
    while (!ended && queuedBytes + bytes > maxQueuedBytes) {
      if (System.nanoTime() - lastProgress > stallNanos) return false; // it reads no more for now
      try {
        room.await(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    }
    return !ended;
  }

  private boolean droppedIfBroken() {
    if (!broken) return false;
    dropped.incrementAndGet();
    return true;
  }

  /**
   * The most a frame's payload takes: a message as large as Artery takes, with its recipient's path
   * and its manifest.
   */
  private static int maxPayload(int maxFrameBytes) {
    return maxFrameBytes + 2 * 65536 + 8;
  }

  private byte[] encode(ActorRef<?> to, Object message) {
    byte[] recipient = recipientName(to);
    byte[] bytes = serialization.serialize(message).get();
    Serializer serializer = serialization.findSerializerFor(message);
    byte[] manifest = Serializers.manifestFor(serializer, message).getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + recipient.length + 4 + 2 + manifest.length + bytes.length)
        .putShort((short) recipient.length)
        .put(recipient)
        .putInt(serializer.identifier())
        .putShort((short) manifest.length)
        .put(manifest)
        .put(bytes)
        .array();
  }

  private byte[] recipientName(ActorRef<?> to) {
    byte[] name = recipientNames.get(to);
    if (name == null) {
      if (recipientNames.size() >= MAX_NAMES) recipientNames.clear();
      name = resolver.toSerializationFormat(to).getBytes(StandardCharsets.UTF_8);
      recipientNames.put(to, name);
    }
    return name;
  }

  private void writeLoop() {
    while (true) {
      ByteBuffer frame;
      lock.lock();
      try {
        while (queue.isEmpty() && !ended) queued.awaitUninterruptibly();
        if (ended) return;
        frame = queue.peek();
        writerBusy = true;
      } finally {
        lock.unlock();
      }
      try {
        socket.writeAll(frame);
      } catch (IOException | RuntimeException e) {
        end("it could not be written: " + e);
        return;
      } catch (Error e) {
        end("its writer failed: " + e);
        throw e;
      }
      lock.lock();
      try {
        queue.poll();
        queuedBytes -= frame.limit();
        writerBusy = false;
        sent.incrementAndGet();
        lastProgress = System.nanoTime();
        room.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  // ---- receiving

  private void readLoop() {
    try {
      while (!ended) {
        FrameSocket.Frame frame = socket.read(1000);
        if (frame == null) {
          end("the other JVM closed it");
          return;
        }
        if (frame != FrameSocket.NONE) deliver(frame);
      }
    } catch (IOException | RuntimeException e) {
      end("it could not be read: " + e);
    } catch (Error e) {
      end("its reader failed: " + e); // nobody would read the other side's messages any more
      throw e;
    }
  }

  /** One message to its recipient; one that cannot be read is dropped alone, as Artery drops it. */
  private void deliver(FrameSocket.Frame frame) {
    received.incrementAndGet();
    String recipient = "?";
    Object message;
    try {
      ByteBuffer in = ByteBuffer.wrap(frame.payload());
      recipient = text(in);
      int serializerId = in.getInt();
      String manifest = text(in);
      byte[] bytes = new byte[in.remaining()];
      in.get(bytes);
      message = serialization.deserialize(bytes, serializerId, manifest).get();
    } catch (Exception | StackOverflowError e) { // Jackson's own errors are IOExceptions
      dropped.incrementAndGet();
      log.warn(
          "a message from {} to {} could not be read, and was dropped: {}",
          remote,
          recipient,
          e.toString());
      return;
    }
    ActorRef<Object> to = recipients.get(recipient);
    if (to == null) {
      to = resolver.resolveActorRef(recipient);
      if (!to.path().address().hasLocalScope()) {
        dropped.incrementAndGet();
        log.warn(
            "a message from {} names {}, not an actor of this JVM: dropped",
            remote,
            Escapes.quote(recipient, 200, "?"));
        return;
      }
      // only names of this JVM's actors, of a sensible length, are kept
      if (recipient.length() <= MAX_NAME_KEPT) {
        if (recipients.size() >= MAX_NAMES) recipients.clear();
        recipients.put(recipient, to);
      }
    }
    to.tell(message);
  }

  private static String text(ByteBuffer in) {
    byte[] bytes = new byte[in.getShort() & 0xffff];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  // ---- the end

  /** Breaks the link from a thread that holds the lock: the rest on another. */
  private void endLater(String reason) {
    broken = true;
    ended = true;
    daemon(() -> end(reason, false), "clusterpool-link-end").start();
  }

  /** Breaks the link: an error, or the other side closed it (see {@link #send}). */
  private void end(String reason) {
    end(reason, false);
  }

  /**
   * Ends the link: what it still holds is lost, as a JVM's messages are when it ends. If {@code
   * orderly} (its member was downed or removed, its actor system ended) messages go through the
   * cluster from now on; else it {@linkplain #broken broke}.
   */
  void end(String reason, boolean orderly) {
    if (!orderly) broken = true; // before it is seen ended: no message may slip to the cluster
    if (!finished.compareAndSet(false, true)) return;
    lock.lock();
    try {
      ended = true;
      queue.clear();
      queuedBytes = 0;
      queued.signalAll();
      room.signalAll();
    } finally {
      lock.unlock();
    }
    socket.close();
    log.info("the direct link to {} ended: {}", remote, reason);
    onEnd.run();
  }
}
