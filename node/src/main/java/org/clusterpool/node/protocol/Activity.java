package org.clusterpool.node.protocol;

import java.util.List;
import org.clusterpool.node.wire.CborSerializable;

/**
 * The chunk spans the coordinator recorded: what a dashboard draws as the task stream. The
 * coordinator keeps the last few thousand in a ring and answers {@link
 * CoordinatorProtocol.GetActivity} with those after the asker's {@code afterSeq}, as many as {@code
 * max} and one message carry.
 *
 * @param lastSeq ask after this next time: the last span this answer carries, or, when it carries
 *     none, the last one the asker has now seen (the newest recorded, if nothing newer was cut off
 *     by {@code max})
 * @param gap spans after the asker's {@code afterSeq} were forgotten before it asked (the ring is
 *     bounded), or the coordinator restarted since: the answer starts at the oldest span kept
 * @param spans oldest first, in the order of their {@code seq}
 */
public record Activity(long lastSeq, boolean gap, List<Span> spans) implements CborSerializable {

  /** The most spans one answer carries, whatever the asker's {@code max}. */
  public static final int MAX_SPANS = 1000;

  /**
   * One unit of work as the coordinator saw it: sent to a worker at {@code startMillis}, answered
   * (or lost) at {@code endMillis} (epoch milliseconds of the coordinator's clock). {@code worker}
   * and {@code node} are the worker's {@link WorkerInfo} name and node, as {@link
   * ClusterStatus.WorkerStatus#info()} gives them. {@code inputs}: how many inputs the unit
   * carried.
   */
  public record Span(
      long seq,
      String worker,
      String node,
      String jobId,
      String task,
      long startMillis,
      long endMillis,
      int inputs,
      Outcome outcome) {}

  /**
   * How an attempt ended. OK: its answer completed the unit. FAILED: some of its inputs failed
   * (their task threw), or the coordinator failed them (the unit crashed too many workers, ran out
   * of time too often). RERUN: the attempt was lost (its worker left or crashed, its answer was
   * lost, it passed its deadline) and the unit went back to be run again. CANCELLED: its job ended
   * while it was out (cancelled, its client left, no worker), or another attempt of the same unit
   * answered first and this one was stopped.
   */
  public enum Outcome {
    OK,
    RERUN,
    FAILED,
    CANCELLED
  }
}
