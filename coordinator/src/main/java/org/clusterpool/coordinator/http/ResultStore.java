package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Function;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/**
 * A job's results as the API keeps them, in arrival order, for clients that read them later or page through
 * them. Numbers stay primitive (ten million results of {@code square} are 80 MB, not 300), other values stay
 * as the task made them and turn into JSON only when read. One thread appends; any thread reads the results
 * below {@link #size()}: the size is published after the value it covers.
 */
abstract class ResultStore<E> {
  private static final int PAGE_BITS = 16;
  private static final int PAGE = 1 << PAGE_BITS;

  private volatile int size;
  /** How many results the job expects: pages are cut to it, so that a job of one result holds one slot. */
  private final long expected;

  ResultStore(long expected) {
    this.expected = Math.max(1, expected);
  }

  final int size() {
    return size;
  }

  /** Appends one result; called by one thread only. */
  abstract void add(E value);

  /** Writes result {@code index} (below {@link #size()}) as JSON. */
  abstract void write(JsonGenerator json, int index) throws IOException;

  protected final void published(int newSize) {
    size = newSize;
  }

  /** The length of a new page {@code index}: a full page, or what the job still expects. */
  protected final int pageLength(int index, int slot) {
    long left = expected - (long) index * PAGE;
    return (int) Math.max(slot + 1, Math.min(PAGE, left));
  }

  /** The store for a task's outputs: primitive pages for integers and numbers, the values themselves otherwise. */
  @SuppressWarnings("unchecked")
  static <O> ResultStore<O> forType(ValueType<O> type, long expected) {
    if (type == ValueTypes.LONG) return (ResultStore<O>) new Longs(expected);
    if (type == ValueTypes.DOUBLE) return (ResultStore<O>) new Doubles(expected);
    return new Objects<>(type::toJson, expected);
  }

  /** Values written by {@code toJson} when read (a gather's per-call entries). */
  static <E> ResultStore<E> ofObjects(Function<E, JsonNode> toJson, long expected) {
    return new Objects<>(toJson, expected);
  }

  private static int page(int index) {
    return index >>> PAGE_BITS;
  }

  private static int slot(int index) {
    return index & (PAGE - 1);
  }

  private static final class Longs extends ResultStore<Long> {
    private volatile long[][] pages = new long[1][];

    Longs(long expected) {
      super(expected);
    }

    @Override
    void add(Long value) {
      int n = size();
      long[][] p = pages;
      if (page(n) >= p.length) pages = p = Arrays.copyOf(p, p.length * 2);
      if (p[page(n)] == null) p[page(n)] = new long[pageLength(page(n), slot(n))];
      if (slot(n) >= p[page(n)].length) p[page(n)] = Arrays.copyOf(p[page(n)], PAGE); // more than expected
      p[page(n)][slot(n)] = value;
      published(n + 1);
    }

    @Override
    void write(JsonGenerator json, int index) throws IOException {
      json.writeNumber(pages[page(index)][slot(index)]);
    }
  }

  private static final class Doubles extends ResultStore<Double> {
    private volatile double[][] pages = new double[1][];

    Doubles(long expected) {
      super(expected);
    }

    @Override
    void add(Double value) {
      int n = size();
      double[][] p = pages;
      if (page(n) >= p.length) pages = p = Arrays.copyOf(p, p.length * 2);
      if (p[page(n)] == null) p[page(n)] = new double[pageLength(page(n), slot(n))];
      if (slot(n) >= p[page(n)].length) p[page(n)] = Arrays.copyOf(p[page(n)], PAGE);
      p[page(n)][slot(n)] = value;
      published(n + 1);
    }

    @Override
    void write(JsonGenerator json, int index) throws IOException {
      json.writeNumber(pages[page(index)][slot(index)]);
    }
  }

  private static final class Objects<E> extends ResultStore<E> {
    private final Function<E, JsonNode> toJson;
    private volatile Object[][] pages = new Object[1][];

    Objects(Function<E, JsonNode> toJson, long expected) {
      super(expected);
      this.toJson = toJson;
    }

    @Override
    void add(E value) {
      int n = size();
      Object[][] p = pages;
      if (page(n) >= p.length) pages = p = Arrays.copyOf(p, p.length * 2);
      if (p[page(n)] == null) p[page(n)] = new Object[pageLength(page(n), slot(n))];
      if (slot(n) >= p[page(n)].length) p[page(n)] = Arrays.copyOf(p[page(n)], PAGE);
      p[page(n)][slot(n)] = value;
      published(n + 1);
    }

    @Override
    @SuppressWarnings("unchecked")
    void write(JsonGenerator json, int index) throws IOException {
      json.writeTree(toJson.apply((E) pages[page(index)][slot(index)]));
    }
  }
}
