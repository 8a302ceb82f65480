package org.clusterpool.coordinator.scheduler;

import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.task.TaskKind;

/**
 * The live workers, and which of them have credit for more work of each kind ("hungry"), in the
 * order they became so. Each worker counts its own credit ({@link WorkerState}); this keeps the
 * hungry sets in step with it, so that handing out work never looks at a worker without room.
 */
final class Workers {
  private final Map<ActorRef<WorkerProtocol.Command>, WorkerState> byRef = new LinkedHashMap<>();
  private final LinkedHashSet<WorkerState> cpuHungry = new LinkedHashSet<>();
  private final LinkedHashSet<WorkerState> asyncHungry = new LinkedHashSet<>();

  private LinkedHashSet<WorkerState> hungry(TaskKind kind) {
    return kind == TaskKind.CPU ? cpuHungry : asyncHungry;
  }

  WorkerState get(ActorRef<WorkerProtocol.Command> ref) {
    return byRef.get(ref);
  }

  void add(WorkerState worker) {
    byRef.put(worker.ref, worker);
  }

  /** The worker left: it gets no more work. Null if it was not known. */
  WorkerState remove(ActorRef<WorkerProtocol.Command> ref) {
    WorkerState worker = byRef.remove(ref);
    if (worker == null) return null;
    cpuHungry.remove(worker);
    asyncHungry.remove(worker);
    return worker;
  }

  boolean isLive(WorkerState worker) {
    return byRef.containsKey(worker.ref);
  }

  Collection<WorkerState> all() {
    return byRef.values();
  }

  int size() {
    return byRef.size();
  }

  boolean isEmpty() {
    return byRef.isEmpty();
  }

  /** What a client's answer names as the cluster's width: the workers, at least one. */
  int slots() {
    return Math.max(1, byRef.size());
  }

  /** The nodes of the live workers, each once. */
  Set<ActorRef<WorkerProtocol.NodeCommand>> nodes() {
    Set<ActorRef<WorkerProtocol.NodeCommand>> nodes = new HashSet<>();
    for (WorkerState worker : byRef.values()) nodes.add(worker.node);
    return nodes;
  }

  /**
   * The worker's credit changed: it is hungry for each kind it has credit for, if it is still live.
   */
  void creditChanged(WorkerState worker) {
    if (!isLive(worker)) return;
    if (worker.cpuCredit() > 0) cpuHungry.add(worker);
    else cpuHungry.remove(worker);
    if (worker.asyncCredit() > 0) asyncHungry.add(worker);
    else asyncHungry.remove(worker);
  }

  boolean hasHungry(TaskKind kind) {
    return !hungry(kind).isEmpty();
  }

  boolean isHungry(TaskKind kind, WorkerState worker) {
    return hungry(kind).contains(worker);
  }

  int hungryCount(TaskKind kind) {
    return hungry(kind).size();
  }

  /** The hungry workers of the kind, as they are now. */
  List<WorkerState> hungryNow(TaskKind kind) {
    return List.copyOf(hungry(kind));
  }

  /**
   * The first hungry worker of the kind whose node runs the task, taken out of the set; null when
   * none does.
   */
  WorkerState takeFirstThat(TaskKind kind, Predicate<WorkerState> runs) {
    for (Iterator<WorkerState> it = hungry(kind).iterator(); it.hasNext(); ) {
      WorkerState worker = it.next();
      if (!runs.test(worker)) continue;
      it.remove();
      return worker;
    }
    return null;
  }
}
