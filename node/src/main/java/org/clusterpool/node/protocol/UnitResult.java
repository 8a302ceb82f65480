package org.clusterpool.node.protocol;

import java.util.List;
import org.clusterpool.node.wire.Values;

/**
 * The outputs of inputs {@code offset .. offset + outputs.size()} of one {@link WorkUnit}: the
 * whole unit, or one piece of it when its results do not fit in one message. The inputs that failed
 * are listed in {@code errors} (numbered from {@code offset}; their slot in {@code outputs} is
 * empty). {@code nanos} is the time spent computing the piece, which the coordinator uses to size
 * batches and deadlines.
 */
public record UnitResult(
    long unitId, String jobId, int offset, Values outputs, List<ElementError> errors, long nanos) {

  /** The whole unit's result. */
  public static UnitResult whole(
      long unitId, String jobId, Values outputs, List<ElementError> errors, long nanos) {
    return new UnitResult(unitId, jobId, 0, outputs, errors, nanos);
  }
}
