package org.clusterpool.coordinator.scheduler;

import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.protocol.WorkerInfo;
import org.clusterpool.node.worker.Worker;
import org.clusterpool.node.worker.WorkerNode;

/** One worker as the coordinator sees it: the capacity it granted and the units it holds. */
final class WorkerState {
  final ActorRef<Worker.Command> ref;
  final ActorRef<WorkerNode.Command> node;
  final WorkerInfo info;
  int cpuCredit;
  int asyncCredit;
  final Set<Long> units = new HashSet<>();
  int asyncCallsInFlight;
  long chunksDone;
  long inputsDone;

  WorkerState(ActorRef<Worker.Command> ref, ActorRef<WorkerNode.Command> node, WorkerInfo info) {
    this.ref = ref;
    this.node = node;
    this.info = info;
  }
}
