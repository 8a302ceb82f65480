package org.clusterpool.node.protocol;

import java.util.List;
import org.clusterpool.node.wire.Values;

/**
 * The outputs of one {@link WorkUnit}, in input order; the inputs that failed are listed in
 * {@code errors} (their slot in {@code outputs} is empty). {@code nanos} is the time spent computing,
 * which the coordinator uses to size batches and chunks.
 */
public record UnitResult(long unitId, String jobId, Values outputs, List<ElementError> errors, long nanos) {}
