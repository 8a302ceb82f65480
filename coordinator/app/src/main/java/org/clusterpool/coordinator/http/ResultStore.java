package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/**
 * A job's results as the API keeps them, in arrival order, for clients that read them later or page
 * through them. Numbers stay primitive (ten million results of {@code square} are 80 MB, not 300),
 * other values stay as the task made them and turn into JSON only when read. One thread appends;
 * any thread reads the results below {@link #size()}: the size is published after the value it
 * covers.
 *
 * <p>The store knows about how much heap it takes ({@link #bytes()}) and how much one more result
 * will take ({@link #bytesPerResult()}): its pages, plus the values it measured ({@link HeapSizes})
 * as they came, every one of the first few thousand and then one in {@value #SAMPLE_EVERY}.
 */
abstract class ResultStore<E> {
  private static final int PAGE_BITS = 16;
  private static final int PAGE = 1 << PAGE_BITS;
  private static final int MEASURE_ALL = 4096;
  private static final int SAMPLE_EVERY = 16;

  private volatile int size;

  /**
   * How many results the job expects: pages are cut to it, so that a job of one result holds one
   * slot.
   */
  private final long expected;

  /** Slots of the pages allocated so far. */
  private volatile long slots;

  /** Heap of the values measured, and how many were measured. */
  private volatile long measuredBytes;

  private volatile long measured;

  /** What one value is thought to take before any was measured. */
  private final long guess;

  ResultStore(long expected, long guess) {
    this.expected = Math.max(1, expected);
    this.guess = guess;
  }

  final int size() {
    return size;
  }

  /**
   * About the heap the results take now: the pages, and the values by the average of those
   * measured.
   */
  final long bytes() {
    return slots * HeapSizes.SLOT + size * valueBytes();
  }

  /**
   * About what one more result takes: a slot and a value like those measured (or the guess before
   * any).
   */
  final long bytesPerResult() {
    return HeapSizes.SLOT + valueBytes();
  }

  /**
   * About the heap once it holds {@code count} results: the pages (cut to what the job expects, so
   * mostly allocated already) and the values, at the average of those measured.
   */
  final long bytesAt(long count) {
    return Math.max(slots, count) * HeapSizes.SLOT + count * valueBytes();
  }

  private long valueBytes() {
    long n = measured;
    return n == 0 ? guess : (measuredBytes + n - 1) / n;
  }

  /**
   * Counts a new value's heap: every one at first, then a sample (measuring a record writes it as
   * JSON).
   */
  protected final void measure(int index, E value) {
    // text costs nothing to measure; a record or a tree is measured through its JSON, so only a
    // sample
    if (index >= MEASURE_ALL && index % SAMPLE_EVERY != 0 && !(value instanceof String)) return;
    measuredBytes += sizeOf(value);
    measured++;
  }

  /** The heap a value takes beyond its slot; 0 for a primitive store. */
  protected long sizeOf(E value) {
    return 0;
  }

  protected final void allocated(int slotCount) {
    slots += slotCount;
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

  /**
   * The pages with room for result {@code n}: the outer array doubled when it is full, the page
   * made when it is new, and a page cut to what the job expected grown to a full one when more
   * results come. Shared by the three stores, whose pages differ only in their element type.
   */
  protected final <A> A[] roomFor(
      A[] pages,
      int n,
      IntFunction<A> newPage,
      ToIntFunction<A> length,
      BiFunction<A, Integer, A> grow) {
    A[] p = pages;
    if (page(n) >= p.length) p = Arrays.copyOf(p, p.length * 2);
    if (p[page(n)] == null)
      allocated(length.applyAsInt(p[page(n)] = newPage.apply(pageLength(page(n), slot(n)))));
    if (slot(n) >= length.applyAsInt(p[page(n)])) { // more than expected
      allocated(PAGE - length.applyAsInt(p[page(n)]));
      p[page(n)] = grow.apply(p[page(n)], PAGE);
    }
    return p;
  }

  /**
   * The store for a task's outputs: primitive pages for integers and numbers, the values themselves
   * otherwise.
   */
  @SuppressWarnings("unchecked")
  static <O> ResultStore<O> forType(ValueType<O> type, long expected) {
    if (type == ValueTypes.LONG) return (ResultStore<O>) new Longs(expected);
    if (type == ValueTypes.DOUBLE) return (ResultStore<O>) new Doubles(expected);
    return new Objects<>(
        type::toJson,
        value -> HeapSizes.value(type, value),
        expected,
        HeapSizes.guessResult(type) - HeapSizes.SLOT);
  }

  /** JSON trees as they are (a gather's per-call entries). */
  static ResultStore<JsonNode> ofJson(long expected) {
    return new Objects<>(
        node -> node, HeapSizes::json, expected, HeapSizes.guessGatherEntry() - HeapSizes.SLOT);
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
      super(expected, 0);
    }

    @Override
    void add(Long value) {
      int n = size();
      long[][] p = pages = roomFor(pages, n, long[]::new, page -> page.length, Arrays::copyOf);
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
      super(expected, 0);
    }

    @Override
    void add(Double value) {
      int n = size();
      double[][] p = pages = roomFor(pages, n, double[]::new, page -> page.length, Arrays::copyOf);
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
    private final ToLongFunction<E> sizer;
    private volatile Object[][] pages = new Object[1][];

    Objects(Function<E, JsonNode> toJson, ToLongFunction<E> sizer, long expected, long guess) {
      super(expected, guess);
      this.toJson = toJson;
      this.sizer = sizer;
    }

    @Override
    protected long sizeOf(E value) {
      return sizer.applyAsLong(value);
    }

    @Override
    void add(E value) {
      int n = size();
      measure(n, value);
      Object[][] p = pages = roomFor(pages, n, Object[]::new, page -> page.length, Arrays::copyOf);
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
