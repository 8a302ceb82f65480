package org.clusterpool.coordinator.scheduler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.catalog.NodeTasks;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.protocol.WorkerInfo;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The coordinator with test probes for its workers, their nodes and its clients. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  static final MessageBudget BUDGET = new MessageBudget(1536 * 1024);

  static CoordinatorSettings settings(
      Duration timeout, int maxAttempts, Duration patience, Duration noWorkers) {
    return new CoordinatorSettings(
        timeout,
        timeout.dividedBy(2),
        10,
        maxAttempts,
        3,
        patience,
        2_000_000,
        1024,
        Duration.ofMillis(50),
        noWorkers,
        BUDGET);
  }

  static final CoordinatorSettings SETTINGS =
      settings(Duration.ofMinutes(10), 3, Duration.ofSeconds(10), Duration.ofMinutes(5));

  private ActorRef<CoordinatorProtocol.Command> coordinator(CoordinatorSettings settings) {
    return testKit.spawn(Coordinator.create(settings));
  }

  /** A task of the class path's catalog, as a client names it. */
  static TaskSignature task(String name) {
    return NodeTasks.signature(TaskCatalog.shared().entry(name).orElseThrow());
  }

  /** What a node of the class path's catalog says it runs. */
  static List<TaskSignature> sharedCatalog() {
    return TaskCatalog.shared().entries().stream().map(NodeTasks::signature).toList();
  }

  /** The catalog of the node {@code node} at {@code address}, in one part. */
  static CoordinatorProtocol.NodeCatalog catalog(
      ActorRef<WorkerProtocol.NodeCommand> node,
      String address,
      long version,
      List<TaskSignature> tasks) {
    return new CoordinatorProtocol.NodeCatalog(node, address, version, 0, 1, tasks);
  }

  /** A probe posing as a worker, with a node of its own, and what it has been sent. */
  private final class FakeWorker {
    final String name;
    final TestProbe<WorkerProtocol.Command> probe;
    final TestProbe<WorkerProtocol.NodeCommand> node;
    final ActorRef<CoordinatorProtocol.Command> coordinator;
    long incarnation;
    long lastAssign;
    long resultSeq;
    long reportSeq;

    /** Its node's address: by default a node of its own. */
    final String nodeName;

    FakeWorker(ActorRef<CoordinatorProtocol.Command> coordinator, String name, int cpuCapacity) {
      this(coordinator, name, cpuCapacity, sharedCatalog());
    }

    /** A worker of the node {@code nodeName}, as one of the workers of one JVM. */
    FakeWorker(
        ActorRef<CoordinatorProtocol.Command> coordinator,
        String name,
        String nodeName,
        int cpuCapacity) {
      this(coordinator, name, nodeName, cpuCapacity, sharedCatalog());
    }

    /** A worker whose node runs {@code tasks}; null: its node has not said what it runs. */
    FakeWorker(
        ActorRef<CoordinatorProtocol.Command> coordinator,
        String name,
        int cpuCapacity,
        List<TaskSignature> tasks) {
      this(coordinator, name, name, cpuCapacity, tasks);
    }

    FakeWorker(
        ActorRef<CoordinatorProtocol.Command> coordinator,
        String name,
        String nodeName,
        int cpuCapacity,
        List<TaskSignature> tasks) {
      this.name = name;
      this.nodeName = nodeName;
      this.coordinator = coordinator;
      this.probe = testKit.createTestProbe(name);
      this.node = testKit.createTestProbe(name + "-node");
      if (tasks != null)
        coordinator.tell(
            catalog(node.getRef(), info().node(), 1, tasks)); // as a node does on meeting it
      report(cpuCapacity, new long[0]);
    }

    WorkerInfo info() {
      return new WorkerInfo(name, "pekko://test@" + nodeName, 1);
    }

    /** A report from a worker that has taken every assignment it was sent. */
    void report(int cpuCapacity, long[] held) {
      report(cpuCapacity, held, lastAssign);
    }

    void report(int cpuCapacity, long[] held, long taken) {
      coordinator.tell(
          new CoordinatorProtocol.WorkerReport(
              probe.getRef(),
              node.getRef(),
              info(),
              ++reportSeq,
              cpuCapacity,
              1000,
              incarnation,
              taken,
              new Values.Longs(held),
              true));
    }

    WorkerProtocol.Assign assigned() {
      WorkerProtocol.Assign assign = probe.expectMessageClass(WorkerProtocol.Assign.class);
      incarnation = assign.incarnation();
      lastAssign = assign.seq();
      return assign;
    }

    WorkUnit unit() {
      return assigned().units().get(0);
    }

    void answer(UnitResult... results) {
      coordinator.tell(
          new CoordinatorProtocol.UnitsDone(
              probe.getRef(), incarnation, ++resultSeq, List.of(results)));
    }
  }

  private static Chunk chunk(long seq, long first, int count) {
    return new Chunk(seq, first - 1, new Values.LongRange(first, count));
  }

  private static UnitResult squares(WorkUnit unit) {
    return squares(unit, 1000);
  }

  /** The unit's squares, as if computing them took {@code nanos}. */
  private static UnitResult squares(WorkUnit unit, long nanos) {
    long[] out = new long[unit.inputs().size()];
    for (int i = 0; i < out.length; i++) {
      long x = ((Values.LongRange) unit.inputs()).start() + i;
      out[i] = x * x;
    }
    return UnitResult.whole(unit.unitId(), unit.jobId(), new Values.Longs(out), List.of(), nanos);
  }

  private ClusterStatus status(ActorRef<CoordinatorProtocol.Command> coordinator) {
    TestProbe<ClusterStatus> status = testKit.createTestProbe();
    coordinator.tell(new CoordinatorProtocol.GetStatus(status.getRef()));
    return status.expectMessageClass(ClusterStatus.class);
  }

  @Test
  void theUnitsOfACrashedWorkerRunAgainInHalvesAtFullSpeedAndEachResultArrivesOnce() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker first = new FakeWorker(coordinator, "worker-a", 2);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "j1", task("square"), List.of(chunk(0, 1, 3), chunk(1, 4, 3)), true, client.getRef()));
    WorkUnit a = first.unit();
    WorkUnit b = first.unit();

    FakeWorker second = new FakeWorker(coordinator, "worker-b", 2);
    second.probe.expectNoMessage(
        Duration.ofMillis(100)); // nothing to give it: the chunks are taken
    first.probe.stop(); // the worker dies holding both chunks

    for (int i = 0; i < 2; i++) {
      JobEvent.ChunkRetried retried = client.expectMessageClass(JobEvent.ChunkRetried.class);
      assertTrue(
          retried.reason().contains("worker-a") && retried.reason().contains("quarantine"),
          retried.reason());
    }
    // they run again in two halves, each a whole unit in one batch: not one round trip per input
    assertEquals(List.of(a), second.assigned().units());
    second.probe.expectNoMessage(Duration.ofMillis(100)); // one group at a time runs on a node
    second.answer(squares(a));
    assertArrayEquals(
        new long[] {1, 4, 9},
        ((Values.Longs)
                client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0).outputs())
            .values());
    assertEquals(List.of(b), second.assigned().units());
    second.answer(squares(b));
    assertArrayEquals(
        new long[] {16, 25, 36},
        ((Values.Longs)
                client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0).outputs())
            .values());
    // the first worker's result, arriving late, is dropped
    first.answer(squares(a));
    client.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void twoInputsThatEachKillTheirWorkerOnOneNodeBothFailAfterMaxCrashes() {
    // two workers of one JVM, each killed by its own input: once a suspect is charged with a crash
    // there, the node is remembered as a culprit's, and the other input, crashing its worker too,
    // is let off as a bystander; only max-crashes times, or it would crash workers for ever
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker a = new FakeWorker(coordinator, "a0", "jvm", 1);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "kk", task("square"), List.of(chunk(0, 1, 1), chunk(1, 2, 1)), true, client.getRef()));
    a.assigned(); // input 1 runs on a
    FakeWorker b = new FakeWorker(coordinator, "b0", "jvm", 2);
    b.assigned(); // input 2 on b, which it kills: a suspect
    b.probe.stop();
    client.expectMessageClass(JobEvent.ChunkRetried.class);
    b = new FakeWorker(coordinator, "b1", "jvm", 2); // a worker of the node that speaks since
    b.assigned(); // input 2 alone in quarantine, and it kills again: charged, the node a culprit's
    b.probe.stop();
    a.probe.stop(); // input 1 kills a: a bystander of the culprit's node
    a = new FakeWorker(coordinator, "a1", "jvm", 1);
    b = new FakeWorker(coordinator, "b2", "jvm", 2);
    List<String> failures = new ArrayList<>();
    int crashes = 3;
    for (int round = 1; failures.size() < 2; round++) {
      assertTrue(round < 40, "both inputs fail after a few crashes, not " + crashes + " and more");
      for (JobEvent event : drain(client)) {
        if (!(event instanceof JobEvent.PartsDone done)) continue;
        for (JobEvent.PartDone part : done.parts()) {
          assertEquals(1, part.errors().size(), "neither input has a result");
          failures.add(part.errors().get(0).error().message());
        }
      }
      // whichever worker is given an input dies of it; a fresh worker of the node takes its place,
      // and one that holds nothing says so, as a live worker does every few seconds
      for (FakeWorker worker : List.of(a, b)) {
        if (!hasAssign(worker.probe)) {
          worker.report(worker == a ? 1 : 2, new long[0]);
          continue;
        }
        worker.probe.stop();
        crashes++;
        FakeWorker fresh = new FakeWorker(coordinator, "w" + round, "jvm", worker == a ? 1 : 2);
        if (worker == a) a = fresh;
        else b = fresh;
      }
    }
    for (String failure : failures) assertTrue(failure.contains("crashed"), failure);
  }

  /** Whether the worker was sent an assignment, waiting a little for one. */
  private static boolean hasAssign(TestProbe<WorkerProtocol.Command> probe) {
    try {
      probe.expectMessageClass(WorkerProtocol.Assign.class, Duration.ofMillis(200));
      return true;
    } catch (AssertionError none) {
      return false;
    }
  }

  @Test
  void aSuspectWaitsForAWorkerOfTheCrashedNodeToSpeakAgainBeforeRunningThere() {
    // a worker's crash may be its JVM's death, whose other workers' ends are still on their way: a
    // suspect sent to one of them would be charged with a death it never saw (a tester's innocent
    // async calls failed so, as killers)
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker a = new FakeWorker(coordinator, "a", "jvm", 1);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "q", task("square"), List.of(chunk(0, 1, 1), chunk(1, 2, 1)), true, client.getRef()));
    WorkUnit x = a.unit();
    FakeWorker b = new FakeWorker(coordinator, "b", "jvm", 2);
    WorkUnit y = b.unit(); // b has room for one more
    a.probe.stop(); // x becomes a suspect
    client.expectMessageClass(JobEvent.ChunkRetried.class);
    b.probe.expectNoMessage(Duration.ofMillis(300));
    b.report(2, new long[] {y.unitId()}); // b is alive: the suspect may run there now
    assertEquals(List.of(x), b.assigned().units());
  }

  @Test
  void aGroupThatKillsAgainIsCutInHalvesDownToTheInputThatKills() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    int n = 16;
    int killer = 11;
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "k", task("square"), List.of(chunk(0, 1, n)), true, client.getRef()));
    long[] results = new long[n];
    boolean[] answered = new boolean[n];
    List<String> crashes = new ArrayList<>();
    String failure = null;
    FakeWorker worker = new FakeWorker(coordinator, "w0", 1);
    for (int round = 1; !allAnswered(answered); round++) {
      assertTrue(round < 50, "the culprit is found in a few rounds");
      WorkerProtocol.Assign assign = worker.assigned();
      boolean kills =
          assign.units().stream()
              .anyMatch(u -> u.offset() <= killer && killer < u.offset() + u.inputs().size());
      if (kills) {
        crashes.add(worker.name);
        worker.probe.stop();
        worker = new FakeWorker(coordinator, "w" + round, 1);
      } else {
        for (WorkUnit unit : assign.units()) worker.answer(squares(unit));
      }
      for (JobEvent event : drain(client)) {
        if (!(event instanceof JobEvent.PartsDone done)) continue;
        for (JobEvent.PartDone part : done.parts()) {
          for (int i = 0; i < part.outputs().size(); i++) {
            assertTrue(
                !answered[part.offset() + i], "input " + (part.offset() + i) + " answered once");
            answered[part.offset() + i] = true;
          }
          if (!part.errors().isEmpty()) {
            failure = part.errors().get(0).error().message();
            assertEquals(killer, part.offset());
          } else {
            long[] values = ((Values.Longs) part.outputs()).values();
            System.arraycopy(values, 0, results, part.offset(), values.length);
          }
        }
      }
    }
    assertTrue(failure.startsWith("the input at position " + killer + " crashed"), failure);
    // one crash per halving of 16 inputs, and one alone: 1 + log2(16)
    assertEquals(5, crashes.size(), "O(log n) crashes: " + crashes);
    for (int i = 0; i < n; i++) {
      if (i != killer) assertEquals((long) (i + 1) * (i + 1), results[i], "input " + i);
    }
  }

  private static boolean allAnswered(boolean[] answered) {
    for (boolean a : answered) {
      if (!a) return false;
    }
    return true;
  }

  /** The events that come until none comes for a moment. */
  private static List<JobEvent> drain(TestProbe<JobEvent> client) {
    List<JobEvent> events = new ArrayList<>();
    while (true) {
      try {
        events.add(client.receiveMessage(Duration.ofMillis(300)));
      } catch (AssertionError quiet) {
        return events;
      }
    }
  }

  @Test
  void aSuspectGroupThatNeverEndsFreesItsNodeAfterThePatience() {
    ActorRef<CoordinatorProtocol.Command> coordinator =
        coordinator(
            settings(Duration.ofMinutes(10), 3, Duration.ofSeconds(1), Duration.ofMinutes(5)));
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker first = new FakeWorker(coordinator, "worker-a", 2);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "p1", task("square"), List.of(chunk(0, 1, 2)), true, client.getRef()));
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "p2", task("square"), List.of(chunk(0, 1, 2)), true, client.getRef()));
    first.assigned();
    first.assigned();
    first.probe.stop(); // both become suspects, in two halves, one unit each
    client.expectMessageClass(JobEvent.ChunkRetried.class);
    client.expectMessageClass(JobEvent.ChunkRetried.class);
    FakeWorker third = new FakeWorker(coordinator, "worker-c", 2);
    WorkUnit hanging = third.unit();
    third.probe.expectNoMessage(Duration.ofMillis(300)); // in quarantine: the other half waits
    // the first half never answers; once the patience is over, the second starts beside it
    WorkUnit next =
        third
            .probe
            .expectMessageClass(WorkerProtocol.Assign.class, Duration.ofSeconds(5))
            .units()
            .get(0);
    assertTrue(!next.jobId().equals(hanging.jobId()));
    third.answer(squares(next));
    third.answer(squares(hanging));
    List<String> done = new ArrayList<>();
    while (done.size() < 2) {
      JobEvent event = client.receiveMessage(Duration.ofSeconds(3));
      if (event instanceof JobEvent.PartsDone parts)
        parts.parts().forEach(p -> done.add(p.jobId()));
    }
    assertEquals(List.of(next.jobId(), hanging.jobId()), done);
  }

  @Test
  void aChunkPastItsDeadlineRunsAgainItsAttemptStopsAndOnlyTheFirstResultCounts() {
    ActorRef<CoordinatorProtocol.Command> coordinator =
        coordinator(
            settings(Duration.ofMillis(200), 3, Duration.ofSeconds(10), Duration.ofMinutes(5)));
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker slow = new FakeWorker(coordinator, "slow", 1);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "j2", task("square"), List.of(chunk(0, 5, 1)), true, client.getRef()));
    WorkUnit unit = slow.unit();
    FakeWorker fast = new FakeWorker(coordinator, "fast", 1);

    assertTrue(
        client.expectMessageClass(JobEvent.ChunkRetried.class).reason().contains("deadline"));
    assertEquals(
        new WorkerProtocol.StopUnits(List.of(unit.unitId()), slow.name),
        slow.node.expectMessageClass(WorkerProtocol.StopUnits.class),
        "the earlier attempt is stopped, that attempt only");
    WorkUnit again = fast.unit();
    assertNotEquals(
        unit.unitId(), again.unitId(), "the next attempt is not known by the id stopped");
    assertEquals(unit.inputs(), again.inputs());
    assertEquals(unit.seq(), again.seq());
    slow.answer(squares(unit)); // it answered all the same, first
    assertArrayEquals(
        new long[] {25},
        ((Values.Longs)
                client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0).outputs())
            .values());
    assertEquals(
        new WorkerProtocol.StopUnits(List.of(again.unitId()), ""),
        fast.node.expectMessageClass(WorkerProtocol.StopUnits.class),
        "the attempt still running is no longer wanted");
    fast.answer(squares(again));
    client.expectNoMessage(Duration.ofMillis(200));
    assertEquals(1, status(coordinator).counters().lateResultsDropped());
  }

  /**
   * The only worker answers a unit late, under the id of its attempt stopped at the deadline, while
   * the next attempt (under a new id) already runs on that same worker: the answer counts, and that
   * next attempt is stopped, as one running elsewhere would be (it ran on for good, the worker's
   * credit counted free: found by a reviewer).
   */
  @Test
  void aLateAnswerOfAStoppedAttemptStopsTheNextAttemptOnTheSameWorker() {
    ActorRef<CoordinatorProtocol.Command> coordinator =
        coordinator(
            settings(Duration.ofMillis(200), 3, Duration.ofSeconds(10), Duration.ofMinutes(5)));
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker only = new FakeWorker(coordinator, "only", 1);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "late", task("square"), List.of(chunk(0, 5, 1)), true, client.getRef()));
    WorkUnit unit = only.unit();
    assertTrue(
        client.expectMessageClass(JobEvent.ChunkRetried.class).reason().contains("deadline"));
    assertEquals(
        new WorkerProtocol.StopUnits(List.of(unit.unitId()), only.name),
        only.node.expectMessageClass(WorkerProtocol.StopUnits.class));
    only.report(1, new long[0]); // as a worker does once the stop reached it: it holds nothing
    WorkUnit again = only.unit();
    assertNotEquals(unit.unitId(), again.unitId());
    only.answer(squares(unit)); // the stopped attempt had finished all the same
    assertArrayEquals(
        new long[] {25},
        ((Values.Longs)
                client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0).outputs())
            .values());
    assertEquals(
        new WorkerProtocol.StopUnits(List.of(again.unitId()), ""),
        only.node.expectMessageClass(WorkerProtocol.StopUnits.class),
        "the next attempt, on the same worker, is no longer wanted");
  }

  /**
   * An async call that never ends, on the only worker: each deadline stops that attempt, and the
   * worker's node remembers the stop by the unit's id and the worker's name, so a worker drops an
   * assignment of a unit under an id stopped on it. The next attempt, sent to that same worker,
   * must come under another id: else the worker drops it, its report does not list it, and the unit
   * looked lost and ran again uncharged, 20 times, failing as ChunkLost (found by a tester).
   */
  @Test
  void anAsyncCallThatNeverEndsRunsMaxAttemptsTimesOnTheSameWorkerAndFailsNamingItsDeadline() {
    ActorRef<CoordinatorProtocol.Command> coordinator =
        coordinator(
            settings(Duration.ofMillis(300), 3, Duration.ofSeconds(10), Duration.ofMinutes(5)));
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker worker = new FakeWorker(coordinator, "only", 1);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "never", task("sleep"), List.of(chunk(0, 1, 1)), true, client.getRef()));
    Set<Long> stoppedHere = new HashSet<>();
    for (int attempt = 1; attempt <= 3; attempt++) {
      WorkerProtocol.Assign assign = worker.assigned();
      assertEquals(TaskKind.ASYNC, assign.kind());
      WorkUnit unit = assign.units().get(0);
      // as a worker does: it skips a unit whose id its node stopped on it, and reports what it
      // holds
      boolean started = !stoppedHere.contains(unit.unitId());
      worker.report(1, started ? new long[] {unit.unitId()} : new long[0]);
      assertTrue(started, "attempt " + attempt + " came under an id stopped on its worker");
      assertEquals(
          new WorkerProtocol.StopUnits(List.of(unit.unitId()), worker.name),
          worker.node.expectMessageClass(WorkerProtocol.StopUnits.class));
      stoppedHere.add(unit.unitId());
      if (attempt < 3) {
        String reason = client.expectMessageClass(JobEvent.ChunkRetried.class).reason();
        assertTrue(reason.contains("deadline"), reason);
      }
    }
    JobEvent.PartDone failed = client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0);
    assertEquals(1, failed.errors().size());
    RemoteError error = failed.errors().get(0).error();
    assertEquals("ChunkTimedOut", error.type());
    assertTrue(
        error.message().startsWith("the input at position 0 ran out of time 3 times"),
        error.message());
    worker.probe.expectNoMessage(Duration.ofMillis(400)); // no fourth attempt
    client.expectNoMessage(Duration.ofMillis(100));
    assertEquals(0, status(coordinator).counters().lostAnswersRecovered());
  }

  @Test
  void aChunkPastItsDeadlineTooOftenFailsItsInputsWithTheReason() {
    ActorRef<CoordinatorProtocol.Command> coordinator =
        coordinator(
            settings(Duration.ofMillis(100), 2, Duration.ofSeconds(10), Duration.ofMinutes(5)));
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker stuck = new FakeWorker(coordinator, "stuck", 2);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "j3", task("square"), List.of(chunk(0, 1, 2)), true, client.getRef()));
    stuck.assigned();
    client.expectMessageClass(JobEvent.ChunkRetried.class);
    // its thread may still be in the task: nothing more goes to it until it reports again
    stuck.probe.expectNoMessage(Duration.ofMillis(300));
    stuck.report(2, new long[0]);
    stuck.assigned();
    JobEvent.PartDone failed = client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0);
    assertEquals(2, failed.errors().size());
    String message = failed.errors().get(0).error().message();
    assertTrue(
        message.startsWith("chunk 0 (inputs at positions 0..1) ran out of time 2 times"), message);
  }

  @Test
  void aDeadlineFollowsTheMeasuredCost() {
    CoordinatorSettings s =
        settings(Duration.ofMinutes(10), 3, Duration.ofSeconds(10), Duration.ofMinutes(5));
    assertEquals(
        Duration.ofMinutes(10).toNanos(), s.deadlineNanos(0, 0, 0), "cost unknown: the ceiling");
    assertEquals(Duration.ofMinutes(5).toNanos(), s.deadlineNanos(1_000, 0, 0), "cheap: the floor");
    assertEquals(
        Duration.ofSeconds(400).toNanos(),
        s.deadlineNanos(Duration.ofSeconds(20).toNanos(), 1, 0),
        "10 x 20 s x 2 batches");
    assertEquals(
        Duration.ofMinutes(10).toNanos(),
        s.deadlineNanos(Duration.ofSeconds(20).toNanos(), 1, 1),
        "doubled, then capped");
  }

  @Test
  void jobsTakeTurns() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    List<Chunk> chunks = List.of(chunk(0, 1, 1), chunk(1, 2, 1), chunk(2, 3, 1));
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob("a", task("square"), chunks, true, client.getRef()));
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob("b", task("square"), chunks, true, client.getRef()));
    FakeWorker worker = new FakeWorker(coordinator, "only", 1);
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      WorkUnit unit = worker.unit();
      order.add(unit.jobId());
      worker.answer(
          squares(unit, 10_000_000)); // 10 ms a chunk, above the batch target: one chunk a batch
    }
    assertEquals(List.of("a", "b", "a", "b", "a", "b"), order);
  }

  @Test
  void cheapChunksTravelTogetherOnceTheirCostIsKnownAndABatchStaysUnderTheBudget() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < 50; i++) chunks.add(chunk(i, i + 1, 1));
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob("cheap", task("square"), chunks, true, client.getRef()));
    FakeWorker worker = new FakeWorker(coordinator, "w", 1);
    WorkerProtocol.Assign first = worker.assigned();
    assertEquals(1, first.units().size(), "the cost is unknown: one chunk");
    worker.answer(squares(first.units().get(0)));
    assertEquals(49, worker.assigned().units().size(), "1 µs each: all in one batch");

    // listed inputs: 8 chunks of 512 kB each never go in one message of 1.5 MB
    List<Chunk> big = new ArrayList<>();
    for (int i = 0; i < 8; i++)
      big.add(new Chunk(i, i * 65536L, new Values.Longs(new long[65536])));
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob("big", task("square"), big, true, client.getRef()));
    FakeWorker other = new FakeWorker(coordinator, "w2", 1);
    WorkerProtocol.Assign one = other.assigned();
    other.answer(
        UnitResult.whole(
            one.units().get(0).unitId(),
            "big",
            new Values.Longs(new long[65536]),
            List.of(),
            1000));
    int sent = 1;
    while (sent < 8) {
      WorkerProtocol.Assign batch = other.assigned();
      long bytes = batch.units().stream().mapToLong(MessageBudget::of).sum();
      assertTrue(bytes <= BUDGET.content(), bytes + " bytes in one assignment");
      for (WorkUnit unit : batch.units()) {
        other.answer(
            UnitResult.whole(
                unit.unitId(), "big", new Values.Longs(new long[65536]), List.of(), 1000));
        sent++;
      }
    }
  }

  @Test
  void creditIsCountedByTheCoordinatorAndARepeatedReportNeverInflatesIt() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker worker = new FakeWorker(coordinator, "w", 1);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "c",
            task("square"),
            List.of(chunk(0, 1, 1), chunk(1, 2, 1), chunk(2, 3, 1)),
            true,
            client.getRef()));
    WorkUnit unit = worker.unit();
    // a reachability blip: the worker meets its coordinator again and states its capacity again,
    // twice
    worker.report(1, new long[0], 0); // its assignment still in its mailbox
    worker.report(1, new long[0], 0);
    worker.probe.expectNoMessage(Duration.ofMillis(200));
    ClusterStatus.WorkerStatus seen = status(coordinator).workers().get(0);
    assertEquals(1, seen.cpuCapacity());
    assertEquals(1, seen.cpuBatchesOut(), "one batch out, never more than the capacity");
    worker.answer(squares(unit));
    worker.unit();
  }

  @Test
  void aLostAnswerIsFoundFromTheWorkersReportAndTheUnitRunsAgain() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker worker = new FakeWorker(coordinator, "w", 1);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "l", task("square"), List.of(chunk(0, 1, 2)), true, client.getRef()));
    WorkUnit unit = worker.unit();
    worker.report(1, new long[0]); // it took assignment 1, holds nothing, and its answer never came
    assertTrue(
        client.expectMessageClass(JobEvent.ChunkRetried.class).reason().contains("was lost"));
    assertEquals(unit, worker.unit());
    worker.answer(squares(unit));
    assertEquals(
        2, client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0).outputs().size());
    assertEquals(1, status(coordinator).counters().lostAnswersRecovered());
  }

  /**
   * A loss is charged nothing, but a unit lost again and again fails instead of running for ever.
   */
  @Test
  void aUnitLostTwentyTimesFailsNamingTheLoss() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker worker = new FakeWorker(coordinator, "w", 1);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "lost", task("square"), List.of(chunk(0, 1, 2)), true, client.getRef()));
    for (int seq = 1; seq < 20; seq++) {
      worker.unit();
      worker.report(seq, new long[0]); // took it, holds nothing, never answers
      assertTrue(
          client.expectMessageClass(JobEvent.ChunkRetried.class).reason().contains("was lost"));
    }
    worker.unit();
    worker.report(20, new long[0]);
    JobEvent.PartDone failed = client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0);
    assertEquals(2, failed.errors().size());
    String message = failed.errors().get(0).error().message();
    assertTrue(
        message.startsWith(
            "chunk 0 (inputs at positions 0..1) was sent 20 times and neither answered nor held by"
                + " its worker"),
        message);
  }

  @Test
  void aMissingResultMessageMakesTheCoordinatorAskTheWorker() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker worker = new FakeWorker(coordinator, "w", 2);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "g", task("square"), List.of(chunk(0, 1, 1), chunk(1, 2, 1)), true, client.getRef()));
    WorkUnit a = worker.unit();
    WorkUnit b = worker.unit();
    worker.resultSeq++; // result message 1, for a, is lost
    worker.answer(squares(b));
    assertEquals(
        coordinator, worker.probe.expectMessageClass(WorkerProtocol.ReportNow.class).replyTo());
    worker.report(2, new long[0]);
    assertEquals(a, worker.unit());
  }

  @Test
  void resultsInPiecesCompleteTheUnitWhenTheLastPieceArrives() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker worker = new FakeWorker(coordinator, "w", 1);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "pc", task("square"), List.of(chunk(0, 1, 4), chunk(1, 5, 1)), true, client.getRef()));
    WorkUnit unit = worker.unit();
    worker.answer(
        new UnitResult(unit.unitId(), "pc", 0, new Values.Longs(new long[] {1, 4}), List.of(), 10));
    assertEquals(0, client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0).offset());
    worker.probe.expectNoMessage(
        Duration.ofMillis(100)); // the unit is not done: its batch still counts
    worker.answer(
        new UnitResult(
            unit.unitId(), "pc", 2, new Values.Longs(new long[] {9, 16}), List.of(), 10));
    assertEquals(2, client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0).offset());
    worker.unit();
  }

  @Test
  void forgedAndMalformedMessagesAreDroppedAndTheJobCompletes() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker worker = new FakeWorker(coordinator, "w", 1);
    FakeWorker stranger = new FakeWorker(coordinator, "stranger", 0);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "f", task("square"), List.of(chunk(0, 1, 3)), true, client.getRef()));
    WorkUnit unit = worker.unit();
    RemoteError boom = RemoteError.of("Boom", "boom", "nowhere");
    // results without a list, a null result, a result from a worker that never held the unit, one
    // for more inputs than
    // the unit has, one with an error beyond its outputs, one for another job, a report without who
    // sends it
    coordinator.tell(
        new CoordinatorProtocol.UnitsDone(
            worker.probe.getRef(), worker.incarnation, ++worker.resultSeq, null));
    List<UnitResult> withNull = new ArrayList<>();
    withNull.add(null);
    coordinator.tell(
        new CoordinatorProtocol.UnitsDone(
            worker.probe.getRef(), worker.incarnation, ++worker.resultSeq, withNull));
    stranger.answer(squares(unit));
    worker.answer(
        new UnitResult(unit.unitId(), "f", 0, new Values.Longs(new long[4]), List.of(), 1));
    worker.answer(
        new UnitResult(
            unit.unitId(),
            "f",
            0,
            new Values.Longs(new long[3]),
            List.of(new ElementError(5, boom)),
            1));
    worker.answer(
        new UnitResult(unit.unitId(), "other", 0, new Values.Longs(new long[3]), List.of(), 1));
    worker.answer(new UnitResult(unit.unitId(), null, 0, null, null, 1));
    coordinator.tell(
        new CoordinatorProtocol.WorkerReport(null, null, null, 9, 1, 1, 0, 0, null, true));
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob("f2", task("square"), null, true, client.getRef()));
    assertTrue(
        client
            .expectMessageClass(JobEvent.JobRejected.class)
            .reason()
            .contains("without a list of chunks"));
    client.expectNoMessage(Duration.ofMillis(100));

    worker.answer(squares(unit));
    assertArrayEquals(
        new long[] {1, 4, 9},
        ((Values.Longs)
                client.expectMessageClass(JobEvent.PartsDone.class).parts().get(0).outputs())
            .values());
    assertEquals(9, status(coordinator).counters().badMessagesDropped());
  }

  @Test
  void aJobWithoutAWorkerForTooLongFailsNamingTheCause() {
    ActorRef<CoordinatorProtocol.Command> coordinator =
        coordinator(
            settings(Duration.ofMinutes(10), 3, Duration.ofSeconds(10), Duration.ofMillis(300)));
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker worker = new FakeWorker(coordinator, "w", 1);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "nw", task("square"), List.of(chunk(0, 1, 1), chunk(1, 2, 1)), true, client.getRef()));
    worker.unit();
    worker.probe.stop();
    client.expectMessageClass(JobEvent.ChunkRetried.class);
    JobEvent.JobFailed failed =
        client.expectMessageClass(JobEvent.JobFailed.class, Duration.ofSeconds(5));
    assertEquals("NoWorkers", failed.kind());
    assertTrue(
        failed.cause().startsWith("no worker has been available for 300 ms"), failed.cause());
    assertTrue(
        failed.cause().contains("w@pekko://test@w") && failed.cause().contains("task 'square'"),
        failed.cause());
    assertEquals(List.of(), status(coordinator).jobs());
  }

  @Test
  void aClientLearnsWhichJobsOrChunksTheCoordinatorLacksAndSendsThemAgainWithoutDuplicates() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "known", task("square"), List.of(chunk(0, 1, 1)), false, client.getRef()));
    coordinator.tell(
        new CoordinatorProtocol.CheckJobs(
            List.of(
                new CoordinatorProtocol.JobCheck("known", 2, false), // its second chunk was lost
                new CoordinatorProtocol.JobCheck("lost", 1, true)),
            client.getRef()));
    JobEvent.JobsChecked checked = client.expectMessageClass(JobEvent.JobsChecked.class);
    assertEquals(List.of("lost"), checked.unknown());
    assertEquals(List.of("known"), checked.missingChunks());

    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "known",
            task("square"),
            List.of(chunk(0, 1, 1), chunk(1, 2, 1)),
            true,
            client.getRef()));
    FakeWorker worker = new FakeWorker(coordinator, "w", 4);
    List<Long> seqs = new ArrayList<>();
    for (int i = 0; i < 2; i++) seqs.add(worker.unit().seq());
    assertEquals(List.of(0L, 1L), seqs, "chunk 0, sent twice, runs once");
    worker.probe.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void cancellingAJobDropsItsQueueAndTellsTheNodes() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker worker = new FakeWorker(coordinator, "w", 1);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "c", task("square"), List.of(chunk(0, 1, 1), chunk(1, 2, 1)), false, client.getRef()));
    WorkUnit running = worker.unit();
    coordinator.tell(new CoordinatorProtocol.CancelJob("c", "test"));
    assertEquals(
        new WorkerProtocol.StopJob("c"),
        worker.node.expectMessageClass(WorkerProtocol.StopJob.class));
    worker.answer(squares(running));
    worker.probe.expectNoMessage(Duration.ofMillis(200)); // the queued chunk is gone
    client.expectNoMessage(Duration.ofMillis(100)); // and the running one's result with it

    ClusterStatus seen = status(coordinator);
    assertEquals(List.of(), seen.jobs());
    assertEquals(
        0, seen.workers().get(0).chunksDone(), "the dropped result is not counted as done");
    assertEquals(
        0,
        seen.workers().get(0).cpuBatchesOut(),
        "the cancelled batch no longer holds the worker's credit");
  }

  @Test
  void aTaskNoNodeHasIsRefusedAtOnceNamingTheTaskAndWhatEachNodeHas() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    List<TaskSignature> v1 =
        List.of(new TaskSignature("cube", TaskKind.CPU, "sha256:1111111111111111"));
    FakeWorker a = new FakeWorker(coordinator, "a", 1, v1);
    FakeWorker b = new FakeWorker(coordinator, "b", 1, sharedCatalog());
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "x",
            new TaskSignature("cube", TaskKind.CPU, "sha256:2222222222222222"),
            List.of(chunk(0, 1, 2)),
            true,
            client.getRef()));
    JobEvent.JobRejected rejected = client.expectMessageClass(JobEvent.JobRejected.class);
    assertEquals(JobEvent.JobRejected.TASK_UNAVAILABLE, rejected.kind());
    assertTrue(
        rejected
            .reason()
            .startsWith(
                "the job was refused: no worker node has task 'cube' (sha256:2222222222222222):"
                    + " pekko://test@a has it as sha256:1111111111111111; pekko://test@b has no"
                    + " task 'cube'"),
        rejected.reason());
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "y",
            new TaskSignature("carre", TaskKind.CPU, "sha256:3333333333333333"),
            List.of(chunk(0, 1, 1)),
            true,
            client.getRef()));
    String unknown = client.expectMessageClass(JobEvent.JobRejected.class).reason();
    assertTrue(
        unknown.contains(
            "pekko://test@a, pekko://test@b have no task 'carre' (they have count-primes, cube,"
                + " fail,"),
        unknown);
    a.probe.expectNoMessage(Duration.ofMillis(100));
    b.probe.expectNoMessage(Duration.ofMillis(10));
    assertEquals(List.of(), status(coordinator).jobs(), "nothing of them ran, nothing waits");
  }

  @Test
  void
      aJobRunsOnlyOnTheWorkersWhoseNodeHasItsTaskAtItsVersionAndStatusShowsTheVersionsThatDiffer() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    TaskSignature v1 = new TaskSignature("cube", TaskKind.CPU, "sha256:1111111111111111");
    TaskSignature v2 = new TaskSignature("cube", TaskKind.CPU, "sha256:2222222222222222");
    FakeWorker old = new FakeWorker(coordinator, "old", 2, List.of(v1));
    FakeWorker current = new FakeWorker(coordinator, "new", 1, List.of(v2, task("square")));
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "cubes",
            v2,
            List.of(chunk(0, 1, 1), chunk(1, 2, 1), chunk(2, 3, 1)),
            true,
            client.getRef()));
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "squares", task("square"), List.of(chunk(0, 1, 1)), true, client.getRef()));
    int units = 0;
    while (units < 4) { // all four on the new node's one worker, never on the old node's two
      WorkerProtocol.Assign assign = current.assigned();
      old.probe.expectNoMessage(Duration.ofMillis(50));
      for (WorkUnit unit : assign.units()) current.answer(squares(unit));
      units += assign.units().size();
    }
    ClusterStatus seen = status(coordinator);
    assertEquals(java.util.Set.of("cube"), seen.tasksWhoseVersionsDiffer());
    assertEquals(2, seen.workerNodes());
    for (ClusterStatus.TaskVersion version : seen.tasks()) {
      if (version.task().equals("cube")) {
        assertEquals(
            List.of(
                version.fingerprint().equals(v1.fingerprint())
                    ? "pekko://test@old"
                    : "pekko://test@new"),
            version.nodes());
      }
    }
    old.probe.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aWorkerWaitsForItsNodesCatalogAndAJobNoLiveNodeRunsFailsAfterTheNoWorkersTimeoutNamingIt() {
    ActorRef<CoordinatorProtocol.Command> coordinator =
        coordinator(
            settings(Duration.ofMinutes(10), 3, Duration.ofSeconds(10), Duration.ofMillis(300)));
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker silent = new FakeWorker(coordinator, "silent", 1, null);
    assertEquals(
        coordinator, silent.node.expectMessageClass(WorkerProtocol.SendCatalog.class).replyTo());
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "later", task("square"), List.of(chunk(0, 1, 1)), true, client.getRef()));
    silent.probe.expectNoMessage(
        Duration.ofMillis(100)); // no work before the node says what it runs
    coordinator.tell(
        catalog(silent.node.getRef(), silent.info().node(), 3, List.of(task("square"))));
    silent.answer(squares(silent.unit())); // then it gets it
    client.expectMessageClass(JobEvent.PartsDone.class);

    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "nobody",
            new TaskSignature("cube", TaskKind.CPU, "sha256:1111111111111111"),
            List.of(chunk(0, 1, 1)),
            true,
            client.getRef()));
    assertEquals(
        JobEvent.JobRejected.TASK_UNAVAILABLE,
        client.expectMessageClass(JobEvent.JobRejected.class).kind());

    FakeWorker unknown =
        new FakeWorker(coordinator, "unknown", 1, null); // a node that has not said what it runs
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "waits",
            new TaskSignature("cube", TaskKind.CPU, "sha256:1111111111111111"),
            List.of(chunk(0, 1, 1)),
            true,
            client.getRef()));
    JobEvent.JobFailed failed =
        client.expectMessageClass(JobEvent.JobFailed.class, Duration.ofSeconds(5));
    assertEquals("NoWorkers", failed.kind());
    assertTrue(
        failed
            .cause()
            .startsWith(
                "no worker that runs task 'cube' (sha256:1111111111111111) has been available for"
                    + " 300 ms (clusterpool.job.no-workers-timeout): no worker node has task 'cube'"
                    + " (sha256:1111111111111111): pekko://test@silent has no task 'cube'"),
        failed.cause());
    assertTrue(
        failed.cause().endsWith("pekko://test@unknown has not said yet what it runs"),
        failed.cause());
    unknown.probe.expectNoMessage(Duration.ofMillis(10));
  }

  @Test
  void catalogPartsComeInAnyOrderAnOlderCatalogChangesNothingAndABadPartIsDropped() {
    ActorRef<CoordinatorProtocol.Command> coordinator = coordinator(SETTINGS);
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker worker = new FakeWorker(coordinator, "w", 1, null);
    ActorRef<WorkerProtocol.NodeCommand> node = worker.node.getRef();
    String address = worker.info().node();
    TaskSignature v1 = new TaskSignature("cube", TaskKind.CPU, "sha256:1111111111111111");
    TaskSignature v2 = new TaskSignature("cube", TaskKind.CPU, "sha256:2222222222222222");
    coordinator.tell(
        new CoordinatorProtocol.NodeCatalog(node, address, 5, 1, 2, List.of(task("square"))));
    coordinator.tell(new CoordinatorProtocol.NodeCatalog(node, address, 5, 0, 2, List.of(v2)));
    coordinator.tell(
        new CoordinatorProtocol.NodeCatalog(node, address, 4, 0, 1, List.of(v1))); // older: ignored
    coordinator.tell(
        new CoordinatorProtocol.NodeCatalog(
            node, address, 6, 2, 2, List.of(v1))); // part 2 of 2: refused
    coordinator.tell(
        new CoordinatorProtocol.NodeCatalog(
            node,
            address,
            6,
            0,
            1,
            List.of(
                new TaskSignature(
                    "Cube!", TaskKind.CPU, "sha256:1")))); // not a task's name: refused
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob("j", v2, List.of(chunk(0, 1, 1)), true, client.getRef()));
    worker.answer(squares(worker.unit()));
    client.expectMessageClass(JobEvent.PartsDone.class);
    assertEquals(2, status(coordinator).counters().badMessagesDropped());
  }

  @Test
  void aFailureOfManyInputsComesInMessagesUnderTheBudget() {
    ActorRef<CoordinatorProtocol.Command> coordinator =
        coordinator(
            settings(Duration.ofMillis(100), 1, Duration.ofSeconds(10), Duration.ofMinutes(5)));
    TestProbe<JobEvent> client = testKit.createTestProbe();
    FakeWorker worker = new FakeWorker(coordinator, "w", 1);
    coordinator.tell(
        new CoordinatorProtocol.SubmitJob(
            "m", task("square"), List.of(chunk(0, 1, 65536)), true, client.getRef()));
    worker.unit();
    Map<Integer, Boolean> failed = new HashMap<>();
    int messages = 0;
    while (failed.size() < 65536) {
      JobEvent.PartsDone done =
          client.expectMessageClass(JobEvent.PartsDone.class, Duration.ofSeconds(5));
      messages++;
      long bytes = done.parts().stream().mapToLong(MessageBudget::of).sum();
      assertTrue(bytes <= BUDGET.content(), bytes + " bytes");
      for (JobEvent.PartDone part : done.parts()) {
        for (ElementError error : part.errors())
          assertTrue(failed.put(part.offset() + error.index(), true) == null, "once each");
      }
    }
    assertTrue(messages > 1, "65,536 errors in " + messages + " messages");
  }
}
