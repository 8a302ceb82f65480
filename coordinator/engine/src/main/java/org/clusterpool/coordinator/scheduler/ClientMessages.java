package org.clusterpool.coordinator.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;

/**
 * Results on their way to the clients, gathered per client into {@link JobEvent.PartsDone} messages
 * under the {@link MessageBudget}: what one worker message completed usually goes to its client as
 * one message, and a failure of many inputs goes in as many messages as its errors need.
 */
final class ClientMessages {
  private final MessageBudget budget;
  private final Map<ActorRef<JobEvent>, List<JobEvent.PartDone>> parts = new HashMap<>(2);
  private final Map<ActorRef<JobEvent>, Long> bytes = new HashMap<>(2);

  ClientMessages(MessageBudget budget) {
    this.budget = budget;
  }

  void add(ActorRef<JobEvent> client, JobEvent.PartDone part, int workerSlots) {
    long size = MessageBudget.of(part);
    long used = bytes.getOrDefault(client, 0L);
    if (used > 0 && !budget.fits(used, size)) {
      flush(client, workerSlots);
      used = 0;
    }
    parts.computeIfAbsent(client, c -> new ArrayList<>()).add(part);
    bytes.put(client, used + size);
  }

  /**
   * Every input of {@code open} ranges of a unit fails with one error: in parts under the budget,
   * since each input carries the error.
   */
  void fail(
      ActorRef<JobEvent> client,
      UnitState unit,
      List<int[]> open,
      RemoteError error,
      int workerSlots) {
    long perInput = MessageBudget.of(new ElementError(0, error));
    int most = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (budget.content() - 1024) / perInput));
    for (int[] range : open) {
      for (int from = range[0]; from < range[1]; from += most) {
        int to = Math.min(range[1], from + most);
        List<ElementError> errors = new ArrayList<>(to - from);
        for (int i = 0; i < to - from; i++) errors.add(new ElementError(i, error));
        add(
            client,
            new JobEvent.PartDone(
                unit.job.jobId(),
                unit.unit.seq(),
                unit.unit.offset() + from,
                new Values.LongRange(0, to - from),
                errors,
                "",
                0),
            workerSlots);
      }
    }
  }

  private void flush(ActorRef<JobEvent> client, int workerSlots) {
    List<JobEvent.PartDone> list = parts.remove(client);
    bytes.remove(client);
    if (list != null && !list.isEmpty()) client.tell(new JobEvent.PartsDone(list, workerSlots));
  }

  /** Sends what is gathered. */
  void flush(int workerSlots) {
    for (ActorRef<JobEvent> client : List.copyOf(parts.keySet())) flush(client, workerSlots);
  }
}
