package org.clusterpool.coordinator.pool;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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

    /** The iteration has ended (read to its end, failed, or closed): once. */
    void ended();
  }

  private final Task<I, O> task;
  private final Iterator<? extends I> inputs;
  private final boolean ordered;
  private final Submitter submitter;
  private final JobListener listener;
  private final ArrayDeque<Page> pages = new ArrayDeque<>();
  private long read;
  private long done;
  private boolean inputEnded;

  /**
   * What the input threw (a lazy iterator, a null): given once the pages before it are read, as
   * Python's {@code imap} gives the results before the failing input and then raises.
   */
  private RuntimeException inputFailure;

  private boolean ended;
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
    fill(); // the first pages go now: a task or an input the cluster refuses is refused here, at
    // once
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
      fill();
      Page page = pages.peek();
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
      Item item;
      try {
        item = page.queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the next result", e);
      }
      if (!item.end()) {
        next = item;
      } else if (item.error() == null) {
        pages.poll(); // this page is read: the next one may go
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
    for (Page page : pages) page.job.cancel();
    pages.clear();
    end();
  }

  private void end() {
    if (ended) return;
    ended = true;
    submitter.ended();
  }

  /**
   * Sends pages until {@link #PAGES_IN_FLIGHT} are out or the input has ended. An input that fails
   * to be read or sent ends the iteration: the pages out are cancelled.
   */
  private void fill() {
    try {
      sendPages();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void sendPages() {
    while (!ended && !inputEnded && pages.size() < PAGES_IN_FLIGHT) {
      List<JsonNode> page = new ArrayList<>();
      long bytes = 0;
      ValueType<I> type = task.inputType();
      try {
        while (page.size() < PAGE_INPUTS && bytes < PAGE_BYTES && inputs.hasNext()) {
          I input = inputs.next();
          if (input == null)
            throw new NullPointerException(
                "input at position " + (read + page.size()) + " is null");
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
  }

  private void start(long offset, List<JsonNode> inputs) {
    HttpJob job = submitter.submit(inputs);
    Page page = new Page(offset, inputs.size(), job);
    pages.add(page);
    ValueType<O> type = task.outputType();
    submitter.follow(
        job,
        line -> {
          for (JsonNode value : line.path("results"))
            page.queue.add(new Item(type.fromJson(value), null, false));
        },
        end ->
            page.queue.add(
                new Item(
                    null, HttpJob.done(end) ? null : HttpJob.failure(end.path("error")), true)),
        error ->
            page.queue.add(
                new Item(
                    null,
                    error instanceof RuntimeException r
                        ? r
                        : new IllegalStateException(error.getMessage(), error),
                    true)));
  }
}
