package org.clusterpool.node.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;

/**
 * Cuts a worker's results into messages under the {@link MessageBudget}: a unit whose results do
 * not fit in one message goes in pieces, and an input whose own result does not fit fails alone
 * with an error that says so. Errors count against the budget like outputs, and only the first
 * {@value #ERRORS_WITH_STACK} errors of a unit keep their stack: a chunk of inputs that all fail
 * costs a message of type-and-message lines, not of stacks.
 */
final class ResultMessages {
  static final int ERRORS_WITH_STACK = 3;

  private final MessageBudget budget;
  private final String where;
  private final List<List<UnitResult>> messages = new ArrayList<>();
  private List<UnitResult> current = new ArrayList<>();
  private long currentBytes;

  ResultMessages(MessageBudget budget, String where) {
    this.budget = budget;
    this.where = where;
  }

  /** Adds a whole unit's result, in as many pieces as the budget needs. */
  void add(UnitResult whole) {
    List<ElementError> errors = trimStacks(whole.errors());
    UnitResult trimmed =
        new UnitResult(
            whole.unitId(), whole.jobId(), whole.offset(), whole.outputs(), errors, whole.nanos());
    if (MessageBudget.of(trimmed) <= budget.content()) {
      put(trimmed);
      return;
    }
    // in pieces: walk the inputs, each with its output and its errors, and close a piece when the
    // next does not fit
    Values outputs = whole.outputs();
    int n = outputs.size();
    long fixed =
        MessageBudget.of(
            new UnitResult(
                whole.unitId(), whole.jobId(), 0, new Values.LongRange(0, 0), List.of(), 0));
    long bytes = fixed;
    int from = 0;
    int e = 0;
    for (int i = 0; i < n; i++) {
      long element = outputs.elementBytes(i);
      int next = e;
      while (next < errors.size() && errors.get(next).index() == i)
        element += MessageBudget.of(errors.get(next++));
      if (fixed + element
          > budget.content()) { // this input's result alone is too large: it fails alone
        if (i > from) putPiece(trimmed, from, i);
        put(tooLarge(whole, i, element));
        from = i + 1;
        bytes = fixed;
      } else {
        if (bytes + element > budget.content()) {
          putPiece(trimmed, from, i);
          from = i;
          bytes = fixed;
        }
        bytes += element;
      }
      e = next;
    }
    if (from < n) putPiece(trimmed, from, n);
  }

  /**
   * The results gathered since the last take, in messages each under the budget; they are given
   * once.
   */
  List<List<UnitResult>> take() {
    startMessage();
    List<List<UnitResult>> taken = new ArrayList<>(messages);
    messages.clear();
    return taken;
  }

  /** Inputs {@code from .. to} of the unit's result, as a piece of its own. */
  private void putPiece(UnitResult whole, int from, int to) {
    int n = whole.outputs().size();
    List<ElementError> within = new ArrayList<>();
    for (ElementError error : whole.errors()) {
      if (error.index() >= from && error.index() < to)
        within.add(new ElementError(error.index() - from, error.error()));
    }
    long nanos = whole.nanos() * (to - from) / Math.max(1, n);
    put(
        new UnitResult(
            whole.unitId(),
            whole.jobId(),
            whole.offset() + from,
            whole.outputs().slice(from, to),
            List.copyOf(within),
            nanos));
  }

  private void put(UnitResult piece) {
    long bytes = MessageBudget.of(piece);
    if (!current.isEmpty() && currentBytes + bytes > budget.content()) startMessage();
    current.add(piece);
    currentBytes += bytes;
  }

  private void startMessage() {
    if (current.isEmpty()) return;
    messages.add(current);
    current = new ArrayList<>();
    currentBytes = 0;
  }

  private UnitResult tooLarge(UnitResult whole, int index, long bytes) {
    RemoteError error =
        RemoteError.of(
            "ResultTooLarge",
            String.format(
                Locale.ROOT,
                "the result of this input takes about %.1f MB, more than one message carries (%.1f"
                    + " MB, clusterpool.message.max-bytes, under"
                    + " pekko.remote.artery.advanced.maximum-frame-size)",
                bytes / 1048576.0,
                budget.maxBytes() / 1048576.0),
            where);
    return new UnitResult(
        whole.unitId(),
        whole.jobId(),
        whole.offset() + index,
        new Values.LongRange(0, 1),
        List.of(new ElementError(0, error)),
        0);
  }

  private static List<ElementError> trimStacks(List<ElementError> errors) {
    if (errors.size() <= ERRORS_WITH_STACK) return errors;
    List<ElementError> out = new ArrayList<>(errors.size());
    for (int i = 0; i < errors.size(); i++) {
      ElementError error = errors.get(i);
      out.add(
          i < ERRORS_WITH_STACK
              ? error
              : new ElementError(error.index(), error.error().withoutStack()));
    }
    return out;
  }
}
