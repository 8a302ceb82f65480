package org.clusterpool.coordinator.pool;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clusterpool.coordinator.connect.JobResults;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.ValueType;

/**
 * An {@code imap} of a pool connected over HTTP, read lazily: its input goes as a run of jobs of
 * one page each ({@link #PAGE_INPUTS} inputs, {@link #PAGE_BYTES} of JSON at most), at most {@link
 * #PAGES_IN_FLIGHT} at once, the next page read from the input and sent only once the consumer has
 * finished one. So the inputs read ahead of the consumer, and the results held here, are at most
 * two pages, whatever the input's length, as in an embedded pool's window; and the cluster holds
 * one page's results per job, never the whole run's.
 *
 * <p>A page's results come in input order ({@code ordered}) or in completion order; positions count
 * from the first input of the whole input. The first failed input ends the iteration, as the HTTP
 * API ends a map job there: its {@link TaskFailedException} is thrown at its place with its
 * position in the whole input, and the pages after it are cancelled.
 *
 * <p>Once the pool is closed ({@link #drain()}), the pages go on without the consumer, as Python's
 * {@code imap} runs to its end after {@code close()}: the rest of the input is sent, still at most
 * {@link #PAGES_IN_FLIGHT} pages running on the cluster, and every result is kept here until read.
 * The iteration then counts as ended for the pool when its last page has ended, read or not, so an
 * iterator nobody reads no longer holds the pool open. The consumer's thread and the threads that
 * follow the pages share the input and the pages under {@code lock}.
 */
final class PagedResults<I, O> implements ResultIterator.Source<O> {
  static final int PAGE_INPUTS = 10_000;
  static final long PAGE_BYTES = 4L << 20;
  static final int PAGES_IN_FLIGHT = 2;

  /** How a page's job is submitted and followed: {@link ConnectedPool}'s. */
  interface Submitter {
    HttpJob submit(List<JsonNode> inputs);

    /**
     * Follows the job on a thread of the pool, each line to {@code onLine}, then the end or the
     * error.
     */
    void follow(
        HttpJob job,
        java.util.function.Consumer<JsonNode> onLine,
        java.util.function.Consumer<JsonNode> onEnd,
        java.util.function.Consumer<Throwable> onError);

    /**
     * The iteration no longer needs the pool (read to its end, failed, closed, or drained to its
     * end): once.
     */
    void ended();

    /** Whether the pool has stopped (closed and idle, or terminated). */
    boolean stopped();

    /** Whether the pool was terminated: nothing more is sent. */
    boolean terminated();
  }

  private final Task<I, O> task;
  private final Iterator<? extends I> inputs;
  private final boolean ordered;
  private final Submitter submitter;
  private final JobListener listener;
  private final Object lock = new Object();

  /** Pages sent and not yet read to their end by the consumer, in input order. */
  private final ArrayDeque<Page> pages = new ArrayDeque<>();

  private final AtomicBoolean reported = new AtomicBoolean();
  private long read;
  private long done;
  private boolean inputEnded;

  /**
   * What the input threw (a lazy iterator, a null): given once the pages before it are read, as
   * Python's {@code imap} gives the results before the failing input and then raises.
   */
  private RuntimeException inputFailure;

  private volatile boolean ended;

  /** Set once the pool is closed: pages go on without the consumer ({@link #drain()}). */
  private boolean draining;

  /** Pages whose job has not ended yet: what a drain keeps within {@link #PAGES_IN_FLIGHT}. */
  private int running;

  /** Whether {@link #fill()} runs on this thread's stack: a page that ends inside it waits. */
  private boolean filling;

  private Item next;
  private long position = -1;

  PagedResults(
      Task<I, O> task,
      Iterable<? extends I> inputs,
      boolean ordered,
      Submitter submitter,
      JobListener listener) {
    this.task = task;
    this.inputs = inputs.iterator();
    this.ordered = ordered;
    this.submitter = submitter;
    this.listener = listener;
    synchronized (lock) {
      fill(); // the first pages go now: a task or an input the cluster refuses is refused here, at
      // once
    }
  }

  /** A result, a page's end, or what ended the page otherwise. */
  private record Item(Object value, RuntimeException error, boolean end) {}

  private final class Page {
    final long offset;
    final int size;
    final HttpJob job;
    final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    long given;

    Page(long offset, int size, HttpJob job) {
      this.offset = offset;
      this.size = size;
      this.job = job;
    }
  }

  @Override
  public boolean hasNext() {
    while (!ended && next == null) {
      Page page;
      synchronized (lock) {
        fill();
        page = pages.peek();
      }
      if (page == null) {
        if (inputFailure != null) { // every input before it has its result: now its error
          RuntimeException failed = inputFailure;
          inputFailure = null;
          close();
          throw failed;
        }
        end();
        break;
      }
      Item item = take(page);
      if (!item.end()) {
        next = item;
      } else if (item.error() == null) {
        synchronized (lock) {
          pages.poll(); // this page is read: the next one may go
        }
      } else if (item.error() instanceof TaskFailedException failed) {
        next =
            new Item(
                null,
                new TaskFailedException(
                    failed.task(),
                    page.offset + failed.position(),
                    failed.input(),
                    failed.remoteError()),
                true);
      } else {
        close();
        throw item.error();
      }
    }
    return next != null;
  }

  /**
   * The page's next item. Each page's last item is queued before the pool can stop (a drained
   * iteration ends only after its pages have); so a queue found empty once the pool has stopped
   * will stay so, and the iteration ends in one line rather than wait for ever.
   */
  private Item take(Page page) {
    try {
      while (true) {
        Item item = page.queue.poll(STOPPED_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        if (item != null) return item;
        if (submitter.stopped()) {
          item = page.queue.poll();
          if (item != null) return item;
          close();
          if (submitter.terminated()) throw new CancellationException("the pool was terminated");
          throw new IllegalStateException(
              "the pool stopped before job "
                  + (page.job == null ? "" : page.job.id())
                  + " gave its remaining results");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the next result", e);
    }
  }

  private static final long STOPPED_CHECK_MILLIS = 200;

  @Override
  public O next() {
    if (!hasNext()) throw new NoSuchElementException();
    Item item = next;
    next = null;
    Page page = pages.peek();
    if (item.error() instanceof TaskFailedException failed) {
      position = failed.position();
      close(); // the API ended that page's job: the iteration ends with it, the pages after it are
      // cancelled
      throw failed;
    }
    position = ordered ? page.offset + page.given : -1;
    page.given++;
    listener.progress(page.job.id(), ++done, read);
    @SuppressWarnings("unchecked")
    O value = (O) item.value();
    return value;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public String worker() {
    return "";
  }

  @Override
  public void close() {
    next = null;
    List<HttpJob> jobs = new ArrayList<>();
    synchronized (lock) {
      ended = true; // no page goes from now on, nor from a drain
      for (Page page : pages) if (page.job != null) jobs.add(page.job);
      pages.clear();
    }
    HttpJob.cancelAll(jobs); // at once, each within its short limit
    end();
  }

  private void end() {
    ended = true;
    report();
  }

  /** Tells the pool, once, that the iteration no longer needs it. */
  private void report() {
    if (reported.compareAndSet(false, true)) submitter.ended();
  }

  /** Whether the iteration no longer needs the pool. */
  boolean hasEnded() {
    return reported.get();
  }

  /**
   * The pool was closed: the rest of the input goes without waiting for the consumer, and the
   * iteration lets the pool stop once its last page has ended. Runs on a thread of the pool, since
   * sending pages waits on the cluster.
   */
  void drain() {
    synchronized (lock) {
      if (draining) return;
      draining = true;
      fillWhileDraining();
      drainedToItsEnd();
    }
  }

  /**
   * A page's job ended with {@code last}: a drain sends the next page in its place, and lets the
   * pool go after the last. The item is queued only once the next page is among {@code pages}, so
   * that a consumer who reads it never finds the pages run out while the input goes on.
   */
  private void pageEnded(Page page, Item last) {
    synchronized (lock) {
      running--;
      if (last.error() != null) inputEnded = true; // the iteration ends at that page
      boolean drain = draining && !filling; // filling: the loop on this thread sends the next
      if (drain) fillWhileDraining();
      page.queue.add(last);
      if (drain) drainedToItsEnd();
    }
  }

  /**
   * As {@link #fill()}, on a thread of the pool: an input that fails to be read or sent becomes the
   * iteration's last item, thrown at its place once the consumer gets there.
   */
  private void fillWhileDraining() {
    try {
      sendPages();
    } catch (RuntimeException e) {
      inputEnded = true;
      Page failed = new Page(read, 0, null);
      failed.queue.add(new Item(null, e, true));
      pages.add(failed);
    }
  }

  private void drainedToItsEnd() {
    if (draining && (inputEnded || ended || submitter.terminated()) && running == 0) report();
  }

  /**
   * Sends pages until {@link #PAGES_IN_FLIGHT} are out or the input has ended. An input that fails
   * to be read or sent ends the iteration: the pages out are cancelled.
   */
  private void fill() {
    if (draining) return; // the drain sends them
    try {
      sendPages();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Pages within {@link #PAGES_IN_FLIGHT}: not yet read by the consumer, or, once draining, not yet
   * ended on the cluster. Called under {@code lock}.
   */
  private void sendPages() {
    filling = true;
    try {
      while (!ended
          && !inputEnded
          && !submitter.terminated()
          && (draining ? running : pages.size()) < PAGES_IN_FLIGHT) sendPage();
    } finally {
      filling = false;
    }
  }

  private void sendPage() {
    List<JsonNode> page = new ArrayList<>();
    long bytes = 0;
    ValueType<I> type = task.inputType();
    try {
      while (page.size() < PAGE_INPUTS && bytes < PAGE_BYTES && inputs.hasNext()) {
        I input = inputs.next();
        if (input == null)
          throw new NullPointerException("input at position " + (read + page.size()) + " is null");
        JsonNode json = type.toJson(input);
        bytes += json.isNumber() ? 20 : json.toString().length();
        page.add(json);
      }
      if (!page.isEmpty() && !inputs.hasNext()) inputEnded = true;
    } catch (RuntimeException e) {
      // the input itself failed: the inputs before it are sent and their results given first
      inputFailure = e;
      inputEnded = true;
    }
    if (page.isEmpty()) {
      inputEnded = true;
      return;
    }
    long offset = read;
    read += page.size();
    start(offset, page);
  }

  private void start(long offset, List<JsonNode> inputs) {
    HttpJob job = submitter.submit(inputs);
    Page page = new Page(offset, inputs.size(), job);
    pages.add(page);
    running++;
    ValueType<O> type = task.outputType();
    submitter.follow(
        job,
        line -> {
          for (JsonNode value : line.path("results"))
            page.queue.add(new Item(JobResults.value(type, value), null, false));
        },
        end ->
            pageEnded(
                page,
                new Item(
                    null, HttpJob.done(end) ? null : HttpJob.failure(end.path("error")), true)),
        error ->
            pageEnded(
                page,
                new Item(
                    null,
                    error instanceof RuntimeException r
                        ? r
                        : new IllegalStateException(error.getMessage(), error),
                    true)));
  }
}
