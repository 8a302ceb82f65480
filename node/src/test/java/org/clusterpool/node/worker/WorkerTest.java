package org.clusterpool.node.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.clusterpool.node.catalog.NodeTasks;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.protocol.WorkerProtocol;
import org.clusterpool.node.task.AsyncTask;
import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.task.builtin.Fail;
import org.clusterpool.node.task.builtin.Sleep;
import org.clusterpool.node.task.builtin.Square;
import org.clusterpool.node.task.builtin.WhoAmI;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker with a test probe for a coordinator: what it reports, what it answers, what it stops.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerTest {

  @JUnit5TestKit ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  /** A cpu task whose output is as long as its input says: for results larger than a message. */
  static final class Repeat implements CpuTask<Long, String> {
    @Override
    public String name() {
      return "repeat";
    }

    @Override
    public String description() {
      return "n times the letter x";
    }

    @Override
    public ValueType<Long> inputType() {
      return ValueTypes.LONG;
    }

    @Override
    public ValueType<String> outputType() {
      return ValueTypes.TEXT;
    }

    @Override
    public String apply(Long n, TaskContext context) {
      return "x".repeat(n.intValue());
    }
  }

  /**
   * Like {@link Repeat}, but a negative input waits until the test opens {@link #GATE}: a unit that
   * ends with one is still running when the results before it should have left.
   */
  static final class Gated implements CpuTask<Long, String> {
    static final CountDownLatch GATE = new CountDownLatch(1);

    @Override
    public String name() {
      return "gated";
    }

    @Override
    public String description() {
      return "n times the letter x; a negative n waits for the test";
    }

    @Override
    public ValueType<Long> inputType() {
      return ValueTypes.LONG;
    }

    @Override
    public ValueType<String> outputType() {
      return ValueTypes.TEXT;
    }

    @Override
    public String apply(Long n, TaskContext context) throws InterruptedException {
      if (n >= 0) return "x".repeat(n.intValue());
      if (!GATE.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never opened");
      return "opened";
    }
  }

  /** Input 3 leaves its thread interrupted; input 4 sleeps, which an interrupt left set fails. */
  static final class Interrupts implements CpuTask<Long, String> {
    @Override
    public String name() {
      return "interrupts";
    }

    @Override
    public String description() {
      return "3 leaves the interrupt set, 4 sleeps";
    }

    @Override
    public ValueType<Long> inputType() {
      return ValueTypes.LONG;
    }

    @Override
    public ValueType<String> outputType() {
      return ValueTypes.TEXT;
    }

    @Override
    public String apply(Long x, TaskContext context) throws InterruptedException {
      if (x == 3) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
      Thread.sleep(1);
      return "slept";
    }
  }

  /**
   * Fails outside its own call: input 0 throws an exception whose getMessage() throws, input 1
   * returns a record nested deeper than it can be encoded; others return a record.
   */
  static final class Unruly implements CpuTask<Long, Unruly.N> {
    record N(long v, N next) {}

    @Override
    public String name() {
      return "unruly";
    }

    @Override
    public String description() {
      return "fails where the worker, not the task, runs";
    }

    @Override
    public ValueType<Long> inputType() {
      return ValueTypes.LONG;
    }

    @Override
    public ValueType<N> outputType() {
      return ValueTypes.record(N.class);
    }

    @Override
    public N apply(Long x, TaskContext context) {
      if (x == 0)
        throw new RuntimeException("y") {
          @Override
          public String getMessage() {
            throw new IllegalStateException("boom");
          }
        };
      if (x == 1 || x >= 100) { // nested 200,000 deep, or x deep
        N n = null;
        for (long i = 0; i < (x == 1 ? 200_000 : x); i++) n = new N(i, n);
        return n;
      }
      return new N(x, null);
    }
  }

  /** A lone UTF-16 surrogate: input 0 in its output, input 1 in its exception's message. */
  static final class Surrogates implements CpuTask<Long, String> {
    @Override
    public String name() {
      return "surrogates";
    }

    @Override
    public String description() {
      return "texts that UTF-8 cannot hold as they are";
    }

    @Override
    public ValueType<Long> inputType() {
      return ValueTypes.LONG;
    }

    @Override
    public ValueType<String> outputType() {
      return ValueTypes.TEXT;
    }

    @Override
    public String apply(Long x, TaskContext context) {
      if (x == 0) return "a\ud800b";
      if (x == 1) throw new IllegalStateException("bad \udc00 message");
      return "ok " + x;
    }
  }

  /** An async task that waits a long time and keeps its wait, so the test can see it cancelled. */
  static final class Hold implements AsyncTask<Double, Double> {
    static final Queue<CompletableFuture<Void>> WAITS = new ConcurrentLinkedQueue<>();

    @Override
    public String name() {
      return "hold";
    }

    @Override
    public String description() {
      return "waits, and lets the test see the wait";
    }

    @Override
    public ValueType<Double> inputType() {
      return ValueTypes.DOUBLE;
    }

    @Override
    public ValueType<Double> outputType() {
      return ValueTypes.DOUBLE;
    }

    @Override
    public CompletionStage<Double> apply(Double seconds, TaskContext context) {
      CompletableFuture<Void> wait = context.sleep(Duration.ofMillis((long) (seconds * 1000)));
      WAITS.add(wait);
      return wait.thenApply(done -> seconds);
    }
  }

  /**
   * An async task whose stage, for an odd input, is of a class whose {@code whenComplete} throws:
   * the task's own code, reached outside its {@code apply}.
   */
  static final class OddStage implements AsyncTask<Double, Double> {
    static final class Throwing extends CompletableFuture<Double> {
      @Override
      public CompletableFuture<Double> whenComplete(
          java.util.function.BiConsumer<? super Double, ? super Throwable> action) {
        throw new IllegalStateException("whenComplete refused");
      }
    }

    @Override
    public String name() {
      return "odd-stage";
    }

    @Override
    public String description() {
      return "an odd input's stage throws from whenComplete";
    }

    @Override
    public ValueType<Double> inputType() {
      return ValueTypes.DOUBLE;
    }

    @Override
    public ValueType<Double> outputType() {
      return ValueTypes.DOUBLE;
    }

    @Override
    public CompletionStage<Double> apply(Double x, TaskContext context) {
      return x % 2 == 1 ? new Throwing() : CompletableFuture.completedFuture(x);
    }
  }

  private static final TaskCatalog CATALOG =
      TaskCatalog.of(
          List.of(
              new Square(),
              new Fail(),
              new Sleep(),
              new Hold(),
              new OddStage(),
              new WhoAmI(),
              new Repeat(),
              new Gated(),
              new Interrupts(),
              new Unruly(),
              new Surrogates()));
  private static final MessageBudget BUDGET = new MessageBudget(1 << 20);
  private static final WorkerSettings SETTINGS =
      new WorkerSettings(1, 2, 100, BUDGET, Duration.ofSeconds(30), Duration.ofSeconds(30));

  private final Cancellations cancellations = new Cancellations();

  private record Started(
      ActorRef<WorkerProtocol.Command> worker,
      TestProbe<CoordinatorProtocol.Command> coordinator) {}

  private Started current;
  private int started;
  private long nextSeq;

  /**
   * A worker, and a probe that is the only coordinator the receptionist knows while the test runs.
   */
  private Started startWorker() {
    return startWorker(SETTINGS);
  }

  private Started startWorker(WorkerSettings settings) {
    return startWorker(settings, new NodeTasks(CATALOG));
  }

  private Started startWorker(WorkerSettings settings, NodeTasks tasks) {
    TestProbe<CoordinatorProtocol.Command> coordinator = testKit.createTestProbe();
    TestProbe<WorkerProtocol.NodeCommand> node = testKit.createTestProbe();
    testKit
        .system()
        .receptionist()
        .tell(Receptionist.register(CoordinatorProtocol.SERVICE_KEY, coordinator.getRef()));
    ActorRef<WorkerProtocol.Command> worker =
        testKit.spawn(
            Worker.create(settings, tasks, node.getRef(), cancellations, false),
            "worker-" + (++started));
    current = new Started(worker, coordinator);
    nextSeq = 0;
    CoordinatorProtocol.WorkerReport report =
        coordinator.expectMessageClass(CoordinatorProtocol.WorkerReport.class);
    assertEquals(worker, report.worker());
    assertEquals(
        2,
        report.cpuCapacity(),
        "capacity is what the worker takes, stated, not a grant to add up");
    assertEquals(100, report.asyncCapacity());
    assertEquals(0, report.lastAssignSeq());
    return current;
  }

  @AfterEach
  void stopWorker() {
    if (current == null) return;
    testKit.stop(current.worker());
    TestProbe<Receptionist.Deregistered> deregistered = testKit.createTestProbe();
    testKit
        .system()
        .receptionist()
        .tell(
            Receptionist.deregister(
                CoordinatorProtocol.SERVICE_KEY,
                current.coordinator().getRef(),
                deregistered.getRef()));
    deregistered.expectMessageClass(Receptionist.Deregistered.class);
    current = null;
  }

  /**
   * A unit of the catalog's version of the task (a task the catalog lacks gets a version no node
   * has).
   */
  private static WorkUnit unit(long id, String job, String task, long seq, Values inputs) {
    return unit(
        id,
        job,
        task,
        CATALOG.entry(task).map(TaskCatalog.Entry::fingerprint).orElse("sha256:0000000000000000"),
        seq,
        inputs);
  }

  private static WorkUnit unit(
      long id, String job, String task, String fingerprint, long seq, Values inputs) {
    return new WorkUnit(id, job, task, fingerprint, seq, 0, seq * 100, inputs);
  }

  /** The next assignment of the probe coordinator, numbered as a coordinator numbers them. */
  private WorkerProtocol.Assign assign(Started s, TaskKind kind, WorkUnit... units) {
    return new WorkerProtocol.Assign(7, ++nextSeq, kind, List.of(units), s.coordinator().getRef());
  }

  private static CoordinatorProtocol.UnitsDone results(Started s) {
    return s.coordinator().expectMessageClass(CoordinatorProtocol.UnitsDone.class);
  }

  private static CoordinatorProtocol.WorkerReport report(Started s) {
    s.worker().tell(new WorkerProtocol.ReportNow(s.coordinator().getRef()));
    return s.coordinator().expectMessageClass(CoordinatorProtocol.WorkerReport.class);
  }

  private static long[] held(CoordinatorProtocol.WorkerReport report) {
    return ((Values.Longs) report.heldUnits()).values();
  }

  @Test
  void runsABatchAndAnswersItInOneNumberedMessage() {
    Started s = startWorker();
    s.worker()
        .tell(
            assign(
                s,
                TaskKind.CPU,
                unit(1, "j1", "square", 0, new Values.LongRange(1, 4)),
                unit(2, "j1", "square", 1, new Values.Longs(new long[] {10}))));
    CoordinatorProtocol.UnitsDone done = results(s);
    assertEquals(1, done.seq());
    assertEquals(7, done.incarnation());
    assertEquals(2, done.results().size());
    assertArrayEquals(
        new long[] {1, 4, 9, 16}, ((Values.Longs) done.results().get(0).outputs()).values());
    assertArrayEquals(new long[] {100}, ((Values.Longs) done.results().get(1).outputs()).values());
    s.worker()
        .tell(assign(s, TaskKind.CPU, unit(3, "j1", "square", 2, new Values.LongRange(5, 1))));
    assertEquals(2, results(s).seq());
    assertEquals(2, report(s).lastAssignSeq(), "the worker tells which assignments it took");
  }

  @Test
  void aFailingInputFailsAloneAndTheWorkerGoesOn() {
    Started s = startWorker();
    s.worker()
        .tell(
            assign(
                s,
                TaskKind.CPU,
                unit(1, "j2", "square", 0, new Values.Longs(new long[] {2, 3_037_000_500L, 4}))));
    UnitResult result = results(s).results().get(0);
    assertEquals(1, result.errors().size());
    assertEquals(1, result.errors().get(0).index());
    assertEquals("java.lang.ArithmeticException", result.errors().get(0).error().type());
    String where = result.errors().get(0).error().where();
    assertTrue(
        where.startsWith("worker-") && where.contains("pid " + ProcessHandle.current().pid()),
        where);
    assertEquals(4, ((Values.Longs) result.outputs()).values()[0]);
    assertEquals(16, ((Values.Longs) result.outputs()).values()[2]);

    s.worker()
        .tell(assign(s, TaskKind.CPU, unit(2, "j2", "fail", 1, new Values.Texts(List.of("boom")))));
    UnitResult failed = results(s).results().get(0);
    assertEquals("boom", failed.errors().get(0).error().message());

    s.worker()
        .tell(assign(s, TaskKind.CPU, unit(3, "j2", "square", 2, new Values.LongRange(7, 1))));
    assertArrayEquals(
        new long[] {49}, ((Values.Longs) results(s).results().get(0).outputs()).values());
  }

  @Test
  void anInterruptLeftByAnInputIsClearedBeforeTheNextAndNeverReachesPekko() {
    Started s = startWorker();
    LoggingTestKit.error("Uncaught error")
        .withOccurrences(0)
        .expect(
            testKit.system(),
            () -> {
              s.worker()
                  .tell(
                      assign(
                          s,
                          TaskKind.CPU,
                          unit(1, "j2", "interrupts", 0, new Values.Longs(new long[] {3, 4, 4}))));
              UnitResult result = results(s).results().get(0);
              assertEquals(
                  List.of(), result.errors(), "input 4 starts without input 3's interrupt");
              assertEquals(
                  List.of("interrupted", "slept", "slept"),
                  ((Values.Texts) result.outputs()).values());
              s.worker()
                  .tell(
                      assign(
                          s,
                          TaskKind.CPU,
                          unit(2, "j2", "interrupts", 1, new Values.Longs(new long[] {3}))));
              results(s);
              s.worker()
                  .tell(
                      assign(
                          s,
                          TaskKind.CPU,
                          unit(3, "j2", "interrupts", 2, new Values.Longs(new long[] {4}))));
              assertEquals(List.of(), results(s).results().get(0).errors(), "nor the next unit");
              return null;
            });
  }

  @Test
  void anInputThatFailsOutsideItsCallFailsAloneNamingWhyAndTheWorkerGoesOn() {
    Started s = startWorker();
    s.worker()
        .tell(
            assign(
                s,
                TaskKind.CPU,
                unit(1, "j2", "unruly", 0, new Values.Longs(new long[] {0, 1, 2}))));
    UnitResult result = results(s).results().get(0);
    assertEquals(2, result.errors().size(), result.errors().toString());
    assertEquals(0, result.errors().get(0).index());
    assertEquals(
        "its exception's getMessage() threw IllegalStateException: boom",
        result.errors().get(0).error().message());
    assertEquals(1, result.errors().get(1).index());
    assertEquals(
        "its output could not be encoded: StackOverflowError (nested too deeply?)",
        result.errors().get(1).error().message());
    assertEquals(
        2,
        ((Values.Jsons) result.outputs()).values().get(2).get("v").asLong(),
        "input 2 keeps its");
    s.worker()
        .tell(assign(s, TaskKind.CPU, unit(2, "j2", "square", 1, new Values.LongRange(7, 1))));
    assertArrayEquals(
        new long[] {49},
        ((Values.Longs) results(s).results().get(0).outputs()).values(),
        "the worker goes on");
  }

  /**
   * The probe gets what the serializer wrote (serialize-messages is on in tests): before, the
   * results message failed to serialize ("Invalid surrogate pair") and never came.
   */
  @Test
  void aLoneSurrogateInAResultOrAnErrorArrivesAsAReplacementCharacter() {
    Started s = startWorker();
    s.worker()
        .tell(
            assign(
                s,
                TaskKind.CPU,
                unit(1, "j2", "surrogates", 0, new Values.Longs(new long[] {2, 0, 1, 3}))));
    UnitResult result = results(s).results().get(0);
    assertEquals(
        Arrays.asList("ok 2", "a\ufffdb", null, "ok 3"),
        ((Values.Texts) result.outputs()).values());
    assertEquals(1, result.errors().size());
    assertEquals(2, result.errors().get(0).index());
    assertEquals("bad \ufffd message", result.errors().get(0).error().message());
  }

  /**
   * A record nested 998 deep encodes, but not inside a message (Pekko writes 1000 levels at most):
   * Artery would drop the message and the chunk would run until lost. The probe gets what the
   * serializer wrote (serialize-messages is on in tests).
   */
  @Test
  void anOutputTheSerializerCannotWriteFailsAloneInsteadOfLosingItsMessage() {
    Started s = startWorker();
    s.worker()
        .tell(
            assign(
                s,
                TaskKind.CPU,
                unit(1, "j2", "unruly", 0, new Values.Longs(new long[] {2, 998, 3, 100}))));
    UnitResult result = results(s).results().get(0);
    assertEquals(1, result.errors().size(), result.errors().toString());
    assertEquals(1, result.errors().get(0).index());
    String message = result.errors().get(0).error().message();
    assertTrue(message.startsWith("its result could not be serialized to send: "), message);
    List<com.fasterxml.jackson.databind.JsonNode> outputs =
        ((Values.Jsons) result.outputs()).values();
    assertEquals(2, outputs.get(0).get("v").asLong(), "the others keep their results");
    assertEquals(3, outputs.get(2).get("v").asLong());
    assertEquals(99, outputs.get(3).get("v").asLong());
  }

  /**
   * Its node does not offer a task its operator leaves out, so no coordinator sends one; a unit
   * that comes anyway (a forged message) runs nothing and says why.
   */
  @Test
  void aUnitOfATaskThisNodeDoesNotAllowRunsNothingAndSaysWhy() {
    TaskCatalog allowing =
        TaskCatalog.forConfig(
            ConfigFactory.parseString("clusterpool.tasks.allowed = \"*,!fail\"")
                .withFallback(ConfigFactory.load()));
    Started s = startWorker(SETTINGS, new NodeTasks(allowing));
    String fingerprint = allowing.entry("fail").orElseThrow().fingerprint();
    s.worker()
        .tell(
            assign(
                s,
                TaskKind.CPU,
                unit(1, "j2", "fail", fingerprint, 0, new Values.Texts(List.of("boom")))));
    UnitResult refused = results(s).results().get(0);
    RemoteError error = refused.errors().get(0).error();
    assertEquals("TaskNotAllowed", error.type());
    assertTrue(
        error.message().startsWith("task 'fail' is not allowed on pekko://WorkerTest")
            && error.message().contains("clusterpool.tasks.allowed: *, !fail"),
        error.message());
    String square = allowing.entry("square").orElseThrow().fingerprint();
    s.worker()
        .tell(
            assign(
                s, TaskKind.CPU, unit(2, "j2", "square", square, 1, new Values.LongRange(7, 1))));
    assertArrayEquals(
        new long[] {49},
        ((Values.Longs) results(s).results().get(0).outputs()).values(),
        "the worker goes on");
  }

  @Test
  void onlyTheFirstErrorsOfAUnitKeepTheirStack() {
    Started s = startWorker();
    long[] overflowing = new long[10];
    java.util.Arrays.fill(overflowing, 3_037_000_500L);
    s.worker()
        .tell(assign(s, TaskKind.CPU, unit(1, "j9", "square", 0, new Values.Longs(overflowing))));
    UnitResult result = results(s).results().get(0);
    assertEquals(10, result.errors().size());
    for (int i = 0; i < 10; i++) {
      assertEquals(
          "long overflow",
          result.errors().get(i).error().message(),
          "every error keeps its type and message");
      assertEquals(
          i >= ResultMessages.ERRORS_WITH_STACK,
          result.errors().get(i).error().stack().isEmpty(),
          "error " + i);
    }
  }

  @Test
  void aTaskMissingFromTheCatalogFailsItsInputs() {
    Started s = startWorker();
    s.worker()
        .tell(assign(s, TaskKind.CPU, unit(1, "j3", "rm-rf", 0, new Values.Texts(List.of("/")))));
    UnitResult result = results(s).results().get(0);
    assertTrue(result.errors().get(0).error().message().contains("not in the catalog"));
  }

  @Test
  void aUnitOfAnotherVersionOfItsTaskDoesNotRunAndTheWorkerSaysWhichVersionItHas() {
    Started s = startWorker();
    String here = CATALOG.entry("whoami").orElseThrow().fingerprint();
    s.worker()
        .tell(
            assign(
                s,
                TaskKind.CPU,
                unit(
                    1, "j3b", "whoami", "sha256:0123456789abcdef", 0, new Values.LongRange(5, 2))));
    UnitResult result = results(s).results().get(0);
    assertEquals(2, result.errors().size(), "no input ran: " + result);
    RemoteError error = result.errors().get(0).error();
    assertEquals("UnknownTask", error.type());
    assertTrue(
        error
            .message()
            .endsWith(
                "has task 'whoami' as "
                    + here
                    + ", not sha256:0123456789abcdef as the job's:"
                    + " another version of the task does not run it"),
        error.message());
  }

  @Test
  void skipsQueuedUnitsOfAStoppedJob() {
    Started s = startWorker();
    cancellations.stopJob("j4");
    s.worker()
        .tell(assign(s, TaskKind.CPU, unit(1, "j4", "square", 0, new Values.LongRange(1, 3))));
    s.worker()
        .tell(assign(s, TaskKind.CPU, unit(2, "j4b", "square", 1, new Values.LongRange(1, 1))));
    UnitResult next = results(s).results().get(0);
    assertEquals(2, next.unitId(), "the stopped job's unit was skipped without an answer");
  }

  @Test
  void aStageWhoseWhenCompleteThrowsFailsItsCallAloneAndTheWorkerGoesOn() {
    Started s = startWorker();
    s.worker()
        .tell(
            assign(
                s,
                TaskKind.ASYNC,
                unit(1, "j11", "odd-stage", 0, new Values.Doubles(new double[] {1, 2, 3, 4}))));
    UnitResult result = results(s).results().get(0);
    assertEquals(
        List.of(0, 2), result.errors().stream().map(e -> e.index()).toList(), "1 and 3 fail");
    assertTrue(result.errors().get(0).error().message().contains("whenComplete refused"));
    double[] outputs = ((Values.Doubles) result.outputs()).values();
    assertEquals(2.0, outputs[1]);
    assertEquals(4.0, outputs[3]);
    // the same worker, not a restarted one, answers the next unit
    s.worker()
        .tell(
            assign(
                s,
                TaskKind.ASYNC,
                unit(2, "j11", "odd-stage", 1, new Values.Doubles(new double[] {6}))));
    assertEquals(6.0, ((Values.Doubles) results(s).results().get(0).outputs()).values()[0]);
  }

  @Test
  void holdsAsyncCallsWithoutAThreadAndAnswersEachUnit() {
    Started s = startWorker();
    s.worker()
        .tell(
            assign(
                s,
                TaskKind.ASYNC,
                unit(1, "j5", "sleep", 0, new Values.Doubles(new double[] {0.2, 0.1})),
                unit(2, "j5", "sleep", 1, new Values.Doubles(new double[] {0.0}))));
    CoordinatorProtocol.UnitsDone first = results(s);
    CoordinatorProtocol.UnitsDone second = results(s);
    assertEquals(2, first.results().get(0).unitId(), "the shorter unit answers first");
    assertArrayEquals(
        new double[] {0.2, 0.1}, ((Values.Doubles) second.results().get(0).outputs()).values());
    assertEquals(0, held(report(s)).length, "it holds nothing once both answered");
  }

  /** A worker holding unit 1 of the job: {@code calls} calls of {@link Hold}, all started. */
  private Started holdingCalls(String job, int calls) {
    Started s = startWorker();
    Hold.WAITS.clear();
    double[] seconds = new double[calls];
    java.util.Arrays.fill(seconds, 600);
    s.worker()
        .tell(assign(s, TaskKind.ASYNC, unit(1, job, "hold", 0, new Values.Doubles(seconds))));
    s.coordinator()
        .awaitAssert(
            () -> {
              assertEquals(calls, Hold.WAITS.size());
              return null;
            });
    return s;
  }

  @Test
  void stoppingAJobStopsItsAsyncCallsOnTheWorker() {
    Started s = holdingCalls("j6", 3);
    assertArrayEquals(new long[] {1}, held(report(s)));
    s.worker().tell(new WorkerProtocol.StopJob("j6"));
    assertEquals(0, held(report(s)).length, "the stopped calls are no longer held");
    for (CompletableFuture<Void> wait : Hold.WAITS)
      assertTrue(wait.isCancelled(), "the timer of a cancelled call is cancelled");
  }

  /**
   * A report that no longer lists a finished unit must come after that unit's result: else the
   * coordinator counts the result lost and runs the unit again. Here the calls finish, and a report
   * is asked for, before the worker has sent their results.
   */
  @Test
  void aReportComesAfterTheResultsOfTheUnitsItNoLongerHolds() {
    Started s = holdingCalls("j12", 2);
    // each completion tells the worker at once, from this thread: its mailbox then holds both
    // calls' ends, and after them the ask for a report
    for (CompletableFuture<Void> wait : Hold.WAITS) wait.complete(null);
    s.worker().tell(new WorkerProtocol.ReportNow(s.coordinator().getRef()));
    CoordinatorProtocol.Command first = s.coordinator().receiveMessage();
    assertTrue(
        first instanceof CoordinatorProtocol.UnitsDone,
        "the unit's result comes before the report that no longer holds it, not " + first);
    assertEquals(1, ((CoordinatorProtocol.UnitsDone) first).results().get(0).unitId());
    CoordinatorProtocol.WorkerReport report =
        s.coordinator().expectMessageClass(CoordinatorProtocol.WorkerReport.class);
    assertEquals(0, held(report).length);
    assertEquals(1, report.lastAssignSeq());
    s.coordinator().expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void stoppingAUnitStopsThatAttemptOnly() {
    Started s = startWorker();
    Hold.WAITS.clear();
    s.worker()
        .tell(
            assign(
                s,
                TaskKind.ASYNC,
                unit(1, "j10", "hold", 0, new Values.Doubles(new double[] {600})),
                unit(2, "j10", "hold", 1, new Values.Doubles(new double[] {600}))));
    s.coordinator()
        .awaitAssert(
            () -> {
              assertEquals(2, Hold.WAITS.size());
              return null;
            });
    s.worker().tell(new WorkerProtocol.StopUnits(List.of(1L), ""));
    assertArrayEquals(
        new long[] {2}, held(report(s)), "unit 1's attempt stopped and gave its place back");
    assertEquals(1, Hold.WAITS.stream().filter(CompletableFuture::isCancelled).count());
  }

  @Test
  void aMissingAssignmentMakesTheWorkerTellWhatItHolds() {
    Started s = startWorker();
    s.worker()
        .tell(assign(s, TaskKind.CPU, unit(1, "j11", "square", 0, new Values.LongRange(1, 1))));
    results(s);
    nextSeq++; // assignment 2 is lost on the way
    s.worker()
        .tell(assign(s, TaskKind.CPU, unit(3, "j11", "square", 2, new Values.LongRange(3, 1))));
    results(s);
    CoordinatorProtocol.WorkerReport report =
        s.coordinator().expectMessageClass(CoordinatorProtocol.WorkerReport.class);
    assertEquals(3, report.lastAssignSeq());
    assertEquals(7, report.incarnation());
    assertTrue(report.heldComplete());
  }

  @Test
  void resultsLargerThanAMessageComeInPiecesAndAnInputTooLargeForOneFailsAlone() {
    Started s =
        startWorker(
            new WorkerSettings(
                1,
                2,
                100,
                new MessageBudget(64 * 1024),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30)));
    s.worker()
        .tell(
            assign(
                s,
                TaskKind.CPU,
                unit(1, "j8", "square", 0, new Values.LongRange(1, 20_000)))); // 160 kB of results
    long expected = 1;
    int pieces = 0;
    while (expected <= 20_000) {
      CoordinatorProtocol.UnitsDone done = results(s);
      for (UnitResult piece : done.results()) {
        assertEquals(expected - 1, piece.offset(), "the pieces follow each other");
        for (long v : ((Values.Longs) piece.outputs()).values()) {
          assertEquals(expected * expected, v);
          expected++;
        }
        pieces++;
      }
    }
    assertTrue(pieces >= 3, "160 kB of results in messages of 64 kB: " + pieces + " pieces");

    s.worker()
        .tell(
            assign(
                s,
                TaskKind.CPU,
                unit(2, "j8", "repeat", 1, new Values.Longs(new long[] {3, 100_000, 4}))));
    List<UnitResult> results = new java.util.ArrayList<>();
    while (results.stream().mapToInt(r -> r.outputs().size()).sum() < 3)
      results.addAll(results(s).results());
    UnitResult tooLarge = results.stream().filter(r -> r.offset() == 1).findFirst().orElseThrow();
    assertEquals(1, tooLarge.outputs().size());
    assertEquals("ResultTooLarge", tooLarge.errors().get(0).error().type());
    assertTrue(
        tooLarge.errors().get(0).error().message().contains("clusterpool.message.max-bytes"));
    for (UnitResult r : results) {
      if (r.offset() != 1) {
        assertTrue(r.errors().isEmpty(), "the other inputs keep their results");
        assertFalse(((Values.Texts) r.outputs()).values().isEmpty());
      }
    }

    // 40,000 ASCII characters are 40 kB in UTF-8: they fit a message of 64 kB, whatever the bound
    // of 3 bytes a character would say
    s.worker()
        .tell(
            assign(
                s,
                TaskKind.CPU,
                unit(3, "j9", "repeat", 2, new Values.Longs(new long[] {40_000}))));
    UnitResult fits = results(s).results().get(0);
    assertTrue(fits.errors().isEmpty(), () -> fits.errors().toString());
    assertEquals(40_000, ((Values.Texts) fits.outputs()).values().get(0).length());
  }

  @Test
  void largeResultsLeaveInPiecesWhileTheirUnitStillRuns() {
    Started s = startWorker();
    // two results of 600 kB are a message's worth (1 MiB): they leave before the third input,
    // which waits until they have come; held to the unit's end, they never would
    s.worker()
        .tell(
            assign(
                s,
                TaskKind.CPU,
                unit(1, "j10", "gated", 0, new Values.Longs(new long[] {600_000, 600_000, -1}))));
    List<UnitResult> early = new java.util.ArrayList<>();
    try {
      while (early.stream().mapToInt(r -> r.outputs().size()).sum() < 2)
        early.addAll(results(s).results());
      assertEquals(1, Gated.GATE.getCount(), "the unit is still running");
    } finally {
      Gated.GATE.countDown(); // the worker's thread is the next test's too
    }
    UnitResult last = results(s).results().get(0);
    assertEquals(2, last.offset());
    assertEquals(List.of("opened"), ((Values.Texts) last.outputs()).values());
    int next = 0;
    for (UnitResult piece : early) {
      assertEquals(next, piece.offset(), "each input once, in order");
      for (String text : ((Values.Texts) piece.outputs()).values()) {
        assertEquals(600_000, text.length());
        next++;
      }
    }
    assertEquals(2, next);
  }

  @Test
  void tellsWhichWorkerRanAnInput() {
    Started s = startWorker();
    s.worker()
        .tell(assign(s, TaskKind.CPU, unit(1, "j7", "whoami", 0, new Values.LongRange(5, 1))));
    UnitResult result = results(s).results().get(0);
    String json = ((Values.Jsons) result.outputs()).values().get(0).toString();
    assertTrue(json.contains("\"pid\":" + ProcessHandle.current().pid()), json);
  }
}
