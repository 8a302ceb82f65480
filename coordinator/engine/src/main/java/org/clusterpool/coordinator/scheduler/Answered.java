package org.clusterpool.coordinator.scheduler;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Which inputs of a block (a unit at the coordinator, a chunk at the client) have their result.
 * Results may come in pieces, twice (a unit that ran again), or overlapping (the pieces of two
 * attempts): {@link #claim} hands out each input once, the first time. The usual case, one whole
 * result once, costs no bit set.
 */
public final class Answered {
  private final int size;
  private int remaining;
  private BitSet bits;

  public Answered(int size) {
    this.size = size;
    this.remaining = size;
  }

  /**
   * The ranges {@code [from, to)} among {@code offset .. offset + count} that had no result yet;
   * they are now answered. Empty when all of them had one.
   */
  public List<int[]> claim(int offset, int count) {
    if (count <= 0 || offset < 0 || offset + count > size || remaining == 0) return List.of();
    if (bits == null) {
      if (offset == 0 && count == size) { // the whole block, the first time
        remaining = 0;
        return List.of(new int[] {0, count});
      }
      bits = new BitSet(size);
    }
    List<int[]> ranges = new ArrayList<>(1);
    int end = offset + count;
    int i = bits.nextClearBit(offset);
    while (i < end) {
      int next = bits.nextSetBit(i);
      int stop = next < 0 || next > end ? end : next;
      ranges.add(new int[] {i, stop});
      bits.set(i, stop);
      remaining -= stop - i;
      i = bits.nextClearBit(stop);
    }
    return ranges;
  }

  /** The ranges {@code [from, to)} still without a result. */
  public List<int[]> open() {
    if (remaining == 0) return List.of();
    if (bits == null) return List.of(new int[] {0, size});
    List<int[]> ranges = new ArrayList<>();
    int i = bits.nextClearBit(0);
    while (i < size) {
      int next = bits.nextSetBit(i);
      int stop = next < 0 ? size : next;
      ranges.add(new int[] {i, stop});
      i = stop >= size ? size : bits.nextClearBit(stop);
    }
    return ranges;
  }

  public boolean isAnswered(int index) {
    return bits == null ? remaining == 0 : bits.get(index);
  }

  public int remaining() {
    return remaining;
  }

  public int size() {
    return size;
  }

  public boolean complete() {
    return remaining == 0;
  }
}
