package org.clusterpool.coordinator.pool;

import java.util.AbstractList;
import java.util.List;

/** Inputs that the pool can send without listing them, like Python's {@code range}. */
public final class Inputs {
  private Inputs() {}

  /**
   * The integers {@code first, first + 1, ..., last} (both included). A chunk of a range travels as
   * two numbers, however long it is.
   */
  public static List<Long> range(long first, long last) {
    return new LongRange(first, last);
  }

  /** A range of integers; a list so that its length is known, without holding its elements. */
  static final class LongRange extends AbstractList<Long> {
    final long first;
    final long last;
    private final int size;

    LongRange(long first, long last) {
      if (last < first) throw new IllegalArgumentException("empty range " + first + ".." + last);
      long n = last - first + 1;
      if (n <= 0 || n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "range "
                + first
                + ".."
                + last
                + " is too long: at most "
                + Integer.MAX_VALUE
                + " values");
      }
      this.first = first;
      this.last = last;
      this.size = (int) n;
    }

    @Override
    public Long get(int index) {
      if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index);
      return first + index;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public String toString() {
      return first + ".." + last;
    }
  }
}
