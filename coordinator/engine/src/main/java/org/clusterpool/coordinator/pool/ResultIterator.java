package org.clusterpool.coordinator.pool;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The iterator {@code imap} returns. {@code next()} waits for the next result, like Python's {@code
 * IMapIterator}; an input whose task failed throws {@link TaskFailedException} at its place, and
 * the iteration may go on after it. {@link #close()} cancels what is left of the job. The same in
 * every kind of pool: its results come from this JVM's actors, or from a cluster over HTTP ({@link
 * ClusterPool#connect(String)}).
 *
 * <p>It is also its own {@link Iterable}, as a Python iterator is its own {@code __iter__}, so that
 * {@code for (long x : pool.imap(...))} reads as {@code for x in pool.imap(...)}; like a Python
 * iterator, it is walked once. A loop left by {@code break} does not close it: open it in a
 * try-with-resources to cancel the rest.
 *
 * <p>Once its pool is closed ({@link ClusterPool#close()}), the job runs to its end whether or not
 * this iterator is read, its results kept here until read; once the pool has stopped, {@link
 * #hasNext()} hands out what is kept and then ends, or throws one line saying why; it never waits
 * without end. An iterator dropped (no longer reachable) before its end cancels what is left of its
 * job, and its results kept so far go with it.
 */
public final class ResultIterator<O> implements Iterator<O>, Iterable<O>, AutoCloseable {

  /**
   * Where an iterator's results come from: a job of this JVM's pool client, or one on a connected
   * cluster.
   */
  interface Source<O> {
    /** Waits for the next result, or the job's end; throws what ended the job if it failed. */
    boolean hasNext();

    /**
     * The next result; a failed input's {@link TaskFailedException}. Called after {@link
     * #hasNext()} said true.
     */
    O next();

    /**
     * The position in the input of the result {@link #next()} last returned or threw; -1 before the
     * first.
     */
    long position();

    /** The worker that computed that result ({@code worker-2@pekko://...}). */
    String worker();

    /** Cancels what is left of the job, if any is left. */
    void close();
  }

  /** Runs what a dropped iterator leaves to do: one daemon thread for every pool of the JVM. */
  private static final Cleaner DROPPED = Cleaner.create();

  private final Source<O> source;
  private long position = -1;
  private String worker = "";

  ResultIterator(Source<O> source) {
    this.source = source;
  }

  /**
   * Runs {@code cancel} once this iterator is no longer reachable, so that a job nobody can read
   * stops and frees its results. {@code cancel} must not refer to this iterator, or the iterator
   * would never become unreachable. Runs on the cleaner's thread: it must not block.
   */
  ResultIterator<O> whenDropped(Runnable cancel) {
    DROPPED.register(this, cancel);
    return this;
  }

  /** This iterator itself: a second loop goes on where the first stopped. */
  @Override
  public Iterator<O> iterator() {
    return this;
  }

  @Override
  public boolean hasNext() {
    try {
      return source.hasNext();
    } finally {
      Reference.reachabilityFence(this); // not dropped while its reader waits in it
    }
  }

  @Override
  public O next() {
    if (!hasNext()) throw new NoSuchElementException();
    try {
      return source.next();
    } finally {
      position = source.position();
      worker = source.worker();
      Reference.reachabilityFence(this);
    }
  }

  /**
   * The position in the input of the result {@link #next()} last returned (or threw): with {@code
   * imapUnordered}, which input that result is for. -1 before the first.
   */
  public long position() {
    return position;
  }

  /**
   * The worker that computed the result {@link #next()} last returned or threw, as {@code
   * worker-2@pekko://...}.
   */
  public String worker() {
    return worker;
  }

  /** Cancels the rest of the job, if any is left. */
  @Override
  public void close() {
    source.close();
  }
}
