package org.clusterpool.coordinator.pool;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Inputs that arrive while their job runs, like items put on an {@code asyncio.Queue} that a
 * consumer maps over: the pool reads what has come as its job's window has room, never holds a
 * thread waiting for more, and ends the job's input at {@link #end()}. What {@link
 * ClusterPool#stream(org.clusterpool.node.task.Task, InputFeed, int, boolean, JobListener)} takes;
 * the HTTP API feeds an {@code imap} job's pages of inputs through one.
 *
 * <p>A collection added is read as the pool needs it, never copied: {@link Inputs#range} stays two
 * numbers. One feed serves one job. Its methods may be called from any thread.
 */
public final class InputFeed<I> {
  private final ArrayDeque<Iterator<? extends I>> pages = new ArrayDeque<>();
  private boolean ended;
  private long added;
  private long taken;
  private Runnable wake;

  /** One more input. */
  public void add(I input) {
    addAll(List.of(Objects.requireNonNull(input, "input")));
  }

  /** More inputs, read when the pool needs them. Refused once {@link #end()} was called. */
  public void addAll(Collection<? extends I> inputs) {
    Runnable w;
    synchronized (this) {
      if (ended) throw new IllegalStateException("the feed has ended: it takes no more inputs");
      if (inputs.isEmpty()) return;
      pages.add(inputs.iterator());
      added += inputs.size();
      w = wake;
    }
    if (w != null) w.run();
  }

  /** No more inputs: the job ends once those added have their results. */
  public void end() {
    Runnable w;
    synchronized (this) {
      if (ended) return;
      ended = true;
      w = wake;
    }
    if (w != null) w.run();
  }

  /** Inputs added so far. */
  public synchronized long added() {
    return added;
  }

  /** Inputs the pool has read so far: those not yet read are {@code added() - taken()}. */
  public synchronized long taken() {
    return taken;
  }

  public synchronized boolean ended() {
    return ended;
  }

  /** The job's pool, told when inputs come or the feed ends; once: a feed serves one job. */
  void attach(Runnable onChange) {
    synchronized (this) {
      if (wake != null)
        throw new IllegalStateException("this feed serves a job already: one feed, one job");
      wake = onChange;
    }
    onChange.run(); // what came before the job started
  }

  /** What has come and was not read yet, without waiting: the pool's side. */
  Iterator<I> arrived() {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        synchronized (InputFeed.this) {
          while (!pages.isEmpty() && !pages.peek().hasNext()) pages.poll();
          return !pages.isEmpty();
        }
      }

      @Override
      public I next() {
        synchronized (InputFeed.this) {
          if (!hasNext()) throw new java.util.NoSuchElementException();
          taken++;
          return pages.peek().next();
        }
      }
    };
  }
}
