package org.clusterpool.coordinator.pool;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.wire.Values;

/** A chunk the client sent and has not yet had all results for. It keeps its inputs, to name a failing one. */
final class ChunkRecord {
  final Chunk chunk;
  int remaining;
  /** Results that arrived, kept only by consumers that wait for the whole chunk (ordered imap). */
  List<Part> parts;
  /** Which inputs have their result, once a result came for part of the chunk only. */
  private BitSet answered;

  ChunkRecord(Chunk chunk) {
    this.chunk = chunk;
    this.remaining = chunk.inputs().size();
  }

  long seq() {
    return chunk.seq();
  }

  long firstIndex() {
    return chunk.firstIndex();
  }

  int size() {
    return chunk.inputs().size();
  }

  /**
   * The ranges {@code [from, to)} of inputs, among {@code offset .. offset + count}, that had no result yet;
   * they are marked answered. A result can come twice when a chunk was sent again after its coordinator
   * went: what came first counts.
   */
  List<int[]> claim(int offset, int count) {
    if (answered == null) {
      if (offset == 0 && count == size()) return List.of(new int[] {0, count}); // the usual case: the whole chunk, once
      answered = new BitSet(size());
    }
    List<int[]> ranges = new ArrayList<>(1);
    int i = answered.nextClearBit(offset);
    while (i < offset + count) {
      int end = Math.min(offset + count, answered.nextSetBit(i) < 0 ? Integer.MAX_VALUE : answered.nextSetBit(i));
      ranges.add(new int[] {i, end});
      answered.set(i, end);
      i = answered.nextClearBit(end);
    }
    return ranges;
  }

  void keep(Part part) {
    if (parts == null) parts = new ArrayList<>(1);
    parts.add(part);
  }

  /** Some results of a chunk: inputs {@code offset .. offset + outputs.size()} of it. */
  record Part(ChunkRecord chunk, int offset, Values outputs, List<ElementError> errors) {}
}
