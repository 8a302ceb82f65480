package org.clusterpool.node.pipe;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.Scheduler;
import org.clusterpool.node.handle.Handover;
import org.clusterpool.node.handle.Waits;
import org.clusterpool.node.wire.Values;
import org.slf4j.Logger;
import scala.concurrent.ExecutionContextExecutor;

/**
 * One end of a pipe whose two ends talk over a direct connection ({@link FrameSocket}): the calls
 * of its {@link Connection} come here straight from the user's threads, and no actor stands between
 * a send and the socket, nor between the socket and a recv. The rules are those of the ends that
 * talk through the cluster ({@link PipeEnd}): messages of one direction in order and each once (a
 * stream socket between two live processes neither loses nor repeats); at most the other end's
 * buffer unread ({@link FrameSocket#CREDIT} states how many its reader took in all); a goodbye
 * after the last message ({@link FrameSocket#BYE}), then EOF; a send to a closed end is a broken
 * pipe; the connection's end without a goodbye means the other end is gone.
 *
 * <p><b>Threads.</b> A send writes its frame on the caller's thread. One thread at a time reads the
 * socket (it holds the reading role), and hands each message to the oldest waiting recv: a blocking
 * {@code recv()} reads on its own thread when nobody else does ({@link #readUntil}), so that a
 * ping-pong wakes one thread a message, as an OS pipe does; a background reader of this end reads
 * for the calls that do not wait on a thread of their own (recvAsync, a send that waits for room, a
 * poll with a timeout). Callbacks run on the thread that read the message: an echo's {@code
 * recvAsync().thenCompose(conn::sendAsync)} writes its answer on the background reader, without a
 * hop to another thread. A callback that blocks (on a recv of this same pipe, say) holds the role:
 * {@link #checkReader}, which the end's actor calls every {@code
 * clusterpool.pipe.direct-reader-stall}, then gives it to another thread, so that nothing waits for
 * that callback for ever. Nobody reads while nobody waits: what comes meanwhile waits in the
 * socket.
 *
 * <p>The channel starts shut ({@link #open}): calls made before the ends chose this connection are
 * queued first, in their order, and served once it opens.
 *
 * <p><b>Why one file of this length.</b> The state below is guarded by one lock, and the reading
 * role passes between threads under it: the rules of who reads, who is handed what, and when a call
 * fails are one protocol that must be read at once to be checked. The room is counted apart ({@link
 * CreditWindow}), as the frames are ({@link FrameSocket}).
 */
final class DirectChannel {

  private record WaitingSend(
      byte[] payload, CompletableFuture<Void> result, long timeoutMillis, Cancellable[] timer) {}

  /** {@code async}: nobody waits on a thread for it, so the background reader reads for it. */
  private record WaitingRecv<T>(
      Function<Values, T> decode, CompletableFuture<T> result, boolean async) {}

  private record WaitingPoll(
      CompletableFuture<Boolean> result, long timeoutMillis, Cancellable[] timer) {}

  private final String name;
  private final Pipe.End side;
  private final FrameSocket socket;
  private final int buffer;
  private final ObjectWriter cborWriter;
  private final ObjectReader cborReader;
  private final Scheduler scheduler;
  private final ExecutionContextExecutor executor;
  private final Logger log;
  private final long stallNanos;

  /**
   * Frames go out in the order their sends were admitted: held across the admission and the write.
   */
  private final ReentrantLock writing = new ReentrantLock();

  /**
   * The state below. Never held while a future completes (callbacks run outside) or while writing.
   */
  private final Object lock = new Object();

  private boolean shut = true;
  private final CreditWindow window;
  private int offering;
  private final Deque<Values> inbox = new ArrayDeque<>();
  private final Deque<WaitingRecv<?>> recvs = new ArrayDeque<>();
  private final Deque<WaitingSend> sends = new ArrayDeque<>();
  private final List<WaitingPoll> polls = new ArrayList<>();

  /**
   * Why nothing more will come from the other end (it closed, or is gone); null while it may still
   * send.
   */
  private String otherEndDone;

  /** Why nothing more can be written (a write failed); null while writes go through. */
  private String writeFailed;

  private boolean closed;

  /** Nothing more to read: the connection ended, or failed. */
  private boolean ended;

  /** The thread that holds the reading role, or null. */
  private Thread reader;

  /**
   * When the holder of the role went from reading to handing a frame over (callbacks may run); 0
   * otherwise.
   */
  private long busySince;

  /** Reads for the calls that do not wait on a thread of their own. */
  private Thread background;

  /**
   * The credit this end owes the other, not written yet (a credit counts all messages taken, so the
   * latest says everything); -1 when none is owed.
   */
  private long creditOwed = -1;

  /**
   * Writes waiting for room in a full socket: the background reader reads meanwhile, so that the
   * other end, perhaps writing into a full socket too, gets its frames read.
   */
  private int writesWaiting;

  private int backgrounds;

  /** Blocking recvs that wait for the role (in order). */
  private final Deque<Thread> waitingReaders = new ArrayDeque<>();

  DirectChannel(
      String name,
      Pipe.End side,
      FrameSocket socket,
      int buffer,
      int peerBuffer,
      ObjectWriter writer,
      ObjectReader reader,
      Scheduler scheduler,
      ExecutionContextExecutor executor,
      Logger log,
      Duration readerStall) {
    this.name = name;
    this.side = side;
    this.socket = socket;
    this.buffer = buffer;
    this.window = new CreditWindow(buffer, peerBuffer);
    this.cborWriter = writer;
    this.cborReader = reader;
    this.scheduler = scheduler;
    this.executor = executor;
    this.log = log;
    this.stallNanos = readerStall.toNanos();
    socket.onFullSocket(this::writeBlocked, this::writeResumed);
  }

  private void writeBlocked() {
    synchronized (lock) {
      writesWaiting++;
    }
    wakeBackground();
  }

  private void writeResumed() {
    synchronized (lock) {
      writesWaiting--;
    }
  }

  private String pipe() {
    return "pipe '" + name + "'";
  }

  /**
   * How long a thread that holds the role waits for a frame before it looks again whether it still
   * has to.
   */
  private static final long SLICE_MILLIS = 100;

  /**
   * What {@link PipeStats} shows of this end: taken under the lock, so the numbers belong to one
   * moment.
   */
  record Counts(
      boolean closed,
      int buffered,
      long sent,
      long received,
      int blockedSends,
      int blockedRecvs,
      long creditsLeft) {}

  Counts counts() {
    synchronized (lock) {
      return new Counts(
          closed || otherEndDone != null || writeFailed != null,
          inbox.size(),
          window.sent(),
          window.received(),
          sends.size(),
          recvs.size(),
          window.creditsLeft());
    }
  }

  /** Starts the background reader; it reads once a call needs it. */
  void start() {
    Thread thread;
    synchronized (lock) {
      thread = background = newBackground();
    }
    thread.start();
  }

  /**
   * Serves the calls queued so far, in order, and every later one as it comes. Until then nothing
   * is completed: the calls are queued whatever they find (this end closed, the other end done),
   * and answered here.
   */
  void open() {
    List<CompletableFuture<?>> refused = new ArrayList<>();
    Exception reason;
    synchronized (lock) {
      shut = false;
      reason =
          closed
              ? closedHere()
              : otherEndDone != null
                  ? new PipeClosedException("broken pipe: " + otherEndDone)
                  : null;
      if (closed) {
        for (WaitingRecv<?> recv : recvs) refused.add(recv.result());
        for (WaitingPoll poll : polls) refused.add(poll.result());
        recvs.clear();
        polls.clear();
      }
      if (reason != null) {
        for (WaitingSend send : sends) {
          cancel(send.timer());
          refused.add(send.result());
        }
        sends.clear();
      }
    }
    for (CompletableFuture<?> call : refused) call.completeExceptionally(reason);
    writePending();
    refuseSendsThatMayNotWait();
    serveRecvs();
    answerPolls();
    wakeBackground();
  }

  /**
   * A send queued while shut that may not wait (a timeout of 0) and finds no room now fails as it
   * would have then.
   */
  private void refuseSendsThatMayNotWait() {
    List<WaitingSend> refused = new ArrayList<>();
    synchronized (lock) {
      sends.removeIf(send -> send.timeoutMillis() == 0 && refused.add(send));
    }
    for (WaitingSend send : refused) send.result().completeExceptionally(noRoom(0));
  }

  /** A call of the connection (a send, a recv or a poll). */
  void accept(PipeEnd.Command call) {
    if (call instanceof PipeEnd.SendCall send) send(send);
    else if (call instanceof PipeEnd.RecvCall<?> recv) recv(recv);
    else if (call instanceof PipeEnd.PollCall poll) poll(poll);
    else throw new IllegalArgumentException("not a call of a direct pipe end: " + call);
  }

  // ---- sending

  private void send(PipeEnd.SendCall call) {
    byte[] payload;
    try {
      payload = cborWriter.writeValueAsBytes(call.item());
    } catch (IOException e) {
      String why = pipe() + ": the message cannot be written for the wire: " + e.getMessage();
      call.result().completeExceptionally(new IllegalArgumentException(why, e));
      return;
    }
    long timeout = remaining(call.timeoutMillis(), call.at());
    Exception refused = null;
    IOException failure = null;
    boolean queued = false;
    writing.lock();
    try {
      synchronized (lock) {
        if (!shut && closed) {
          refused = closedHere();
        } else if (!shut && (otherEndDone != null || writeFailed != null)) {
          refused =
              new PipeClosedException(
                  "broken pipe: " + (otherEndDone != null ? otherEndDone : writeFailed));
        } else if (!shut && sends.isEmpty() && window.hasRoom()) {
          window.onSent();
        } else if (!shut && timeout == 0) {
          refused = noRoom(call.timeoutMillis());
        } else {
          WaitingSend waiting =
              new WaitingSend(payload, call.result(), call.timeoutMillis(), new Cancellable[1]);
          sends.add(waiting);
          if (timeout > 0) waiting.timer()[0] = after(timeout, () -> expire(waiting));
          queued = true;
        }
      }
      if (refused == null && !queued) socket.writeData(payload);
    } catch (IOException e) {
      failure = e;
    } finally {
      writing.unlock();
    }
    writePending(); // what others left for this thread while it held the lock
    if (queued) {
      wakeBackground(); // the other end's credits make room: somebody must read them
      return;
    }
    if (failure != null) refused = lost(failure); // outside the lock: it completes other calls
    if (refused != null) call.result().completeExceptionally(refused);
    else call.result().complete(null);
  }

  /**
   * A write failed, half a frame perhaps written: nothing more is written. This end closed the
   * connection meanwhile (the send fails as closed), or the other end closed its side (a broken
   * pipe). What that end sent before is still in the socket: the reader reads it, and its goodbye
   * or the connection's end says how it ended.
   */
  private PipeClosedException lost(IOException e) {
    synchronized (lock) {
      if (closed) return closedHere();
      if (writeFailed == null) writeFailed = connectionLost(e);
      return new PipeClosedException(
          "broken pipe: " + (otherEndDone != null ? otherEndDone : writeFailed));
    }
  }

  /**
   * Writes what waits for the writing lock: the credit this end owes, then the sends that waited
   * for room and have it now, in order. It never waits for the lock: the thread that holds it comes
   * here once it lets go, so nothing stays behind.
   *
   * <p>The credit goes only if the socket takes it at once. Reading threads come here (a recv that
   * took a message owes a credit), and a reader that waited for room in a full socket would read no
   * more: if the other end then did the same, both would wait for ever. A credit the socket did not
   * take is tried again by the background reader, within a slice.
   */
  private void writePending() {
    boolean creditStuck = false;
    while (true) {
      synchronized (lock) {
        if ((creditOwed < 0 || creditStuck) && !sendsHaveRoom()) return;
      }
      if (!writing.tryLock()) return; // its holder comes here once it lets go
      List<WaitingSend> sent = new ArrayList<>();
      WaitingSend failed = null;
      IOException failure = null;
      try {
        long credit = -1;
        if (!creditStuck) {
          synchronized (lock) {
            if (!closed && writeFailed == null) credit = creditOwed;
            creditOwed = -1;
          }
        }
        if (credit >= 0 && !socket.tryWriteNumber(FrameSocket.CREDIT, credit)) {
          creditStuck = true;
          synchronized (lock) {
            creditOwed = Math.max(creditOwed, credit);
          }
        }
        while (true) {
          WaitingSend next;
          synchronized (lock) {
            if (!sendsHaveRoom()) break;
            next = sends.poll();
            if (next.result().isDone())
              continue; // given up meanwhile (a timeout, an interrupt, this end closed)
            window.onSent();
          }
          cancel(next.timer());
          failed = next;
          socket.writeData(next.payload());
          failed = null;
          sent.add(next);
        }
      } catch (IOException e) {
        failure = e;
      } finally {
        writing.unlock();
      }
      for (WaitingSend done : sent) done.result().complete(null);
      if (failure != null) {
        PipeClosedException broken = lost(failure);
        if (failed != null) failed.result().completeExceptionally(broken);
        return;
      }
    }
  }

  /** Under the lock: a send waits for room, and there is room to write it. */
  private boolean sendsHaveRoom() {
    return !shut
        && !closed
        && otherEndDone == null
        && writeFailed == null
        && !sends.isEmpty()
        && window.hasRoom();
  }

  private void expire(WaitingSend waiting) {
    boolean withdrawn;
    synchronized (lock) {
      withdrawn = sends.remove(waiting);
    }
    if (withdrawn) waiting.result().completeExceptionally(noRoom(waiting.timeoutMillis()));
  }

  private TimeoutException noRoom(long timeoutMillis) {
    return new TimeoutException(
        pipe()
            + " stayed full ("
            + window.peerBuffer()
            + " unread messages) for "
            + timeoutMillis
            + " ms");
  }

  // ---- receiving

  private <T> void recv(PipeEnd.RecvCall<T> call) {
    synchronized (lock) {
      recvs.add(new WaitingRecv<>(call.decode(), call.result(), call.async()));
    }
    serveRecvs();
    if (call.async() && !call.result().isDone()) wakeBackground();
  }

  /**
   * Hands messages to waiting recvs, oldest first; EOF to them once the other end is done and all
   * is read.
   */
  private void serveRecvs() {
    while (true) {
      WaitingRecv<?> call;
      Values item = null;
      List<WaitingRecv<?>> atEof = null;
      String eof = null;
      synchronized (lock) {
        if (shut) return;
        while (!recvs.isEmpty() && recvs.peek().result().isDone())
          recvs.poll(); // gave up meanwhile
        if (recvs.isEmpty()) return;
        if (!inbox.isEmpty()) {
          call = recvs.poll();
          item = inbox.poll();
          offering++;
        } else if (otherEndDone != null && offering == 0) {
          call = null;
          atEof = new ArrayList<>(recvs);
          recvs.clear();
          eof = otherEndDone;
        } else {
          return;
        }
      }
      if (atEof != null) {
        for (WaitingRecv<?> waiting : atEof)
          waiting.result().completeExceptionally(new EOFException(eof));
        return;
      }
      handOver(call, item);
    }
  }

  /**
   * Gives {@code item} to its reader; one that gave up meanwhile leaves it at the front for the
   * next.
   */
  private <T> void handOver(WaitingRecv<T> call, Values item) {
    boolean taken =
        Handover.deliver(
                item,
                call.decode(),
                call.result(),
                pipe() + " received a message this end cannot read")
            .consumed();
    long credit = -1;
    synchronized (lock) {
      offering--;
      if (!taken) {
        inbox.addFirst(item);
      } else {
        credit = window.onTaken(otherEndDone == null && writeFailed == null && !closed);
      }
    }
    if (credit < 0) return;
    synchronized (lock) {
      creditOwed = Math.max(creditOwed, credit);
    }
    writePending();
  }

  private void poll(PipeEnd.PollCall call) {
    long timeout = remaining(call.timeoutMillis(), call.at());
    if (timeout == 0) readWhatCame(); // nobody may be reading: what is in the socket counts
    boolean answer = false;
    boolean waits = false;
    synchronized (lock) {
      if (!shut && (!inbox.isEmpty() || otherEndDone != null)) {
        answer = true;
      } else if (shut || timeout != 0) {
        WaitingPoll waiting = new WaitingPoll(call.result(), timeout, new Cancellable[1]);
        polls.add(waiting);
        if (!shut && timeout > 0) waiting.timer()[0] = after(timeout, () -> expire(waiting));
        waits = true;
      }
    }
    if (waits) wakeBackground();
    else call.result().complete(answer);
  }

  /**
   * Answers the polls that wait: true once a message is there or EOF; polls queued while shut get
   * their turn now.
   */
  private void answerPolls() {
    List<WaitingPoll> answered = new ArrayList<>();
    List<WaitingPoll> refused = new ArrayList<>();
    synchronized (lock) {
      if (shut) return;
      boolean ready = !inbox.isEmpty() || otherEndDone != null;
      for (WaitingPoll waiting : List.copyOf(polls)) {
        if (ready) {
          answered.add(waiting);
          polls.remove(waiting);
        } else if (waiting.timeoutMillis() == 0) {
          refused.add(waiting);
          polls.remove(waiting);
        } else if (waiting.timeoutMillis() > 0 && waiting.timer()[0] == null) {
          waiting.timer()[0] = after(waiting.timeoutMillis(), () -> expire(waiting));
        }
      }
    }
    for (WaitingPoll waiting : answered) {
      cancel(waiting.timer());
      waiting.result().complete(true);
    }
    for (WaitingPoll waiting : refused) waiting.result().complete(false);
  }

  private void expire(WaitingPoll waiting) {
    boolean withdrawn;
    synchronized (lock) {
      withdrawn = polls.remove(waiting);
    }
    if (withdrawn) waiting.result().complete(false);
  }

  // ---- reading: one thread at a time holds the role

  /**
   * A blocking recv's thread reads until its call is done: itself while nobody else reads, else it
   * waits for the one who does (who hands it its message, or the role). Throws when the thread is
   * interrupted; the caller then cancels its call.
   */
  void readUntil(CompletableFuture<?> call) throws InterruptedException {
    Thread me = Thread.currentThread();
    boolean watched = false;
    while (!call.isDone()) {
      if (Thread.interrupted()) throw new InterruptedException();
      boolean mine;
      synchronized (lock) {
        if (ended || closed) return; // the call is answered (EOF, or closed) by whoever ended it
        mine = reader == null;
        if (mine) reader = me;
        else waitingReaders.add(me);
      }
      if (mine) {
        readOne(me, SLICE_MILLIS);
        continue;
      }
      if (!watched) {
        call.whenComplete((value, error) -> LockSupport.unpark(me));
        watched = true;
      }
      if (!call.isDone()) LockSupport.parkNanos(SLICE_MILLIS * 1_000_000);
      synchronized (lock) {
        waitingReaders.remove(me);
      }
    }
  }

  /** Reads the frames that have come, without waiting for more, if nobody else reads. */
  private void readWhatCame() {
    Thread me = Thread.currentThread();
    synchronized (lock) {
      if (shut || ended || closed || reader != null) return;
      reader = me;
    }
    while (readOne(me, 0)) {
      synchronized (lock) {
        if (ended || closed || reader != null) return;
        reader = me;
      }
    }
  }

  /**
   * The role's holder reads one frame, waiting up to {@code waitMillis}, hands it over, and gives
   * the role back. True when a frame came.
   */
  private boolean readOne(Thread me, long waitMillis) {
    FrameSocket.Frame frame;
    try {
      frame = socket.read(waitMillis);
      if (frame != FrameSocket.NONE) {
        synchronized (lock) {
          if (reader == me) busySince = System.nanoTime();
        }
        if (frame == null) endReading(null);
        else dispatch(frame);
      }
    } catch (IOException | RuntimeException e) {
      endReading(e);
      frame = null;
    } finally {
      giveUpRole(me);
    }
    return frame != null && frame != FrameSocket.NONE;
  }

  private void dispatch(FrameSocket.Frame frame) throws IOException {
    switch (frame.type()) {
      case FrameSocket.DATA -> onData(cborReader.readValue(frame.payload()));
      case FrameSocket.CREDIT -> onCredit(frame.number());
      case FrameSocket.BYE -> onBye(frame.number());
      default -> throw new IOException("a frame of an unknown type " + frame.type() + " came");
    }
  }

  /**
   * The connection ended ({@code error} null: between two frames) or failed: nothing more is read
   * from it.
   */
  private void endReading(Exception error) {
    synchronized (lock) {
      ended = true;
    }
    otherEndDone(connectionLost(error));
    if (error != null) socket.close();
  }

  /**
   * The holder gives the role back, to a blocking recv that waits for it, or to the background
   * reader if it is needed.
   */
  private void giveUpRole(Thread me) {
    Thread next = null;
    synchronized (lock) {
      if (reader != me) return; // taken from it meanwhile (see checkReader)
      reader = null;
      busySince = 0;
      if (ended || closed) return;
      if (!waitingReaders.isEmpty()) next = waitingReaders.peek();
      else if (needsBackground()) next = background;
    }
    if (next != null) LockSupport.unpark(next);
  }

  /**
   * Calls that wait without a thread of their own: a recvAsync, a send waiting for room, a poll
   * with a timeout; and a write waiting for room in a full socket, whose thread reads nothing.
   */
  private boolean needsBackground() {
    if (!sends.isEmpty() || !polls.isEmpty() || writesWaiting > 0) return true;
    for (WaitingRecv<?> recv : recvs) if (recv.async() && !recv.result().isDone()) return true;
    return false;
  }

  private void wakeBackground() {
    Thread next;
    synchronized (lock) {
      next = reader == null && !shut && needsBackground() ? background : null;
    }
    if (next != null) LockSupport.unpark(next);
  }

  private Thread newBackground() {
    Thread thread =
        new Thread(
            this::readInBackground,
            "clusterpool-pipe-" + name + "-" + side.label() + "-reader-" + ++backgrounds);
    thread.setDaemon(true);
    return thread;
  }

  private void readInBackground() {
    Thread me = Thread.currentThread();
    while (true) {
      boolean mine;
      synchronized (lock) {
        if (background != me || ended || closed)
          return; // replaced while a callback held it, or nothing more to read
        mine = reader == null && !shut && needsBackground();
        if (mine) reader = me;
      }
      writePending(); // a credit the full socket did not take before
      if (mine) readOne(me, SLICE_MILLIS);
      else
        LockSupport.parkNanos(
            SLICE_MILLIS * 1_000_000); // until a call needs it, or the role comes free
    }
  }

  private void onData(Values item) throws IOException {
    synchronized (lock) {
      if (closed)
        return; // this end reads nothing more: what comes now is lost, as in a closed OS pipe
      window.onReceived();
      if (window.overfull()) {
        throw new IOException(
            "the other end sent more than the " + buffer + " messages this end holds");
      }
      inbox.add(item);
    }
    serveRecvs();
    answerPolls();
  }

  private void onCredit(long consumedThere) {
    synchronized (lock) {
      window.onCredit(consumedThere);
    }
    writePending();
  }

  private void onBye(long sent) {
    long arrived;
    synchronized (lock) {
      arrived = window.received();
    }
    if (sent != arrived)
      log.error("{}: the other end sent {} messages, {} arrived", pipe(), sent, arrived);
    otherEndDone("the other end of " + pipe() + " was closed after sending " + sent + " messages");
  }

  /**
   * Called every {@code clusterpool.pipe.direct-reader-stall} by the end's actor: a holder of the
   * role kept that long from reading by a callback (or by a write into a full socket) loses it, to
   * a blocking recv that waits for it or to the background reader; a background reader held so is
   * replaced, and ends once its callback returns.
   */
  void checkReader() {
    Thread stuck;
    Thread next = null;
    boolean replaced = false;
    synchronized (lock) {
      if (closed
          || ended
          || reader == null
          || busySince == 0
          || System.nanoTime() - busySince < stallNanos) return;
      stuck = reader;
      reader = null;
      busySince = 0;
      if (stuck == background) {
        background = newBackground();
        replaced = true;
      }
      if (!waitingReaders.isEmpty()) next = waitingReaders.peek();
      else if (needsBackground()) next = background;
    }
    log.debug(
        "{}: a callback held {} from reading for more than {} ms; another thread reads meanwhile",
        pipe(),
        stuck.getName(),
        stallNanos / 1_000_000);
    if (replaced) background.start();
    if (next != null) LockSupport.unpark(next);
  }

  // ---- the end of the other end, and of this one

  private String connectionLost(Exception e) {
    return "the other end of "
        + pipe()
        + " is gone (its JVM ended, or its connection broke"
        + (e == null || e.getMessage() == null ? "" : ": " + e.getMessage())
        + ")";
  }

  /**
   * Nothing more comes from the other end: waiting sends fail (a broken pipe), recvs read what is
   * left, then EOF.
   */
  void otherEndDone(String reason) {
    List<WaitingSend> failed;
    synchronized (lock) {
      if (otherEndDone != null || closed) return;
      otherEndDone = reason;
      failed = new ArrayList<>(sends);
      sends.clear();
    }
    for (WaitingSend waiting : failed) {
      cancel(waiting.timer());
      waiting.result().completeExceptionally(new PipeClosedException("broken pipe: " + reason));
    }
    serveRecvs();
    answerPolls();
  }

  /**
   * The other end's actor is gone (its node left the cluster, or its actor system stopped). Its
   * connection normally says so first, with a goodbye or by ending; one that does not within {@code
   * grace} (a frozen JVM that the cluster downed) is closed here.
   */
  void otherActorGone(Duration grace) {
    after(
        grace.toMillis(),
        () -> {
          boolean done;
          synchronized (lock) {
            done = otherEndDone != null || closed;
          }
          if (done) return;
          otherEndDone(
              "the other end of "
                  + pipe()
                  + " is gone (its node left the cluster, or its actor system stopped)");
          socket.close();
        });
  }

  /**
   * Python's {@code conn.close()} on this end: a goodbye after the last message sent, and the
   * connection closes (what was written stays readable at the other end). Sends still waiting for
   * room are not sent; every waiting call fails as closed. Closing twice does nothing.
   */
  void close() {
    finish(true);
  }

  /**
   * This end's actor system stopped: the connection closes without a goodbye, and the other end
   * sees it gone.
   */
  void abort() {
    finish(false);
  }

  private void finish(boolean goodbye) {
    List<CompletableFuture<?>> waiting = new ArrayList<>();
    long sent;
    boolean sayBye;
    synchronized (lock) {
      if (closed) return;
      closed = true;
      sayBye = goodbye && otherEndDone == null;
      sent = window.sent();
      for (WaitingSend send : sends) {
        cancel(send.timer());
        waiting.add(send.result());
      }
      for (WaitingRecv<?> recv : recvs) waiting.add(recv.result());
      for (WaitingPoll poll : polls) {
        cancel(poll.timer());
        waiting.add(poll.result());
      }
      sends.clear();
      recvs.clear();
      polls.clear();
    }
    if (sayBye) write(FrameSocket.BYE, sent);
    socket.close();
    for (CompletableFuture<?> call : waiting) call.completeExceptionally(closedHere());
    LockSupport.unpark(background); // it ends
  }

  private PipeClosedException closedHere() {
    return new PipeClosedException("this end (" + side + ") of " + pipe() + " is closed");
  }

  /** Writes a goodbye; a connection lost meanwhile is the other end gone. */
  private void write(byte type, long number) {
    IOException failure = null;
    writing.lock();
    try {
      socket.writeNumber(type, number);
    } catch (IOException e) {
      failure = e;
    } finally {
      writing.unlock();
    }
    if (failure != null && type != FrameSocket.BYE) lost(failure);
  }

  // ---- time

  /**
   * What is left of a call's timeout ({@link org.clusterpool.node.handle.Waits#FOREVER} stays so),
   * at least 1 ms.
   */
  private static long remaining(long timeoutMillis, long atNanos) {
    if (timeoutMillis <= 0) return timeoutMillis;
    long elapsed = (System.nanoTime() - atNanos) / 1_000_000;
    return Math.max(1, timeoutMillis - elapsed);
  }

  private Cancellable after(long millis, Runnable action) {
    return scheduler.scheduleOnce(Waits.delay(millis), action, executor);
  }

  private static void cancel(Cancellable[] timer) {
    if (timer[0] != null) timer[0].cancel();
  }
}
