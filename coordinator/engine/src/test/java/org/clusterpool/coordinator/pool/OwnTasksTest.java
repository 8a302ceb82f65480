package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.clusterpool.coordinator.scheduler.CoordinatorGuardian;
import org.clusterpool.coordinator.scheduler.CoordinatorSettings;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueTypes;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.clusterpool.node.worker.WorkerNode;
import org.clusterpool.node.worker.WorkerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The Java API with the user's own task objects: an embedded pool runs any of them, as an {@code
 * ExecutorService} runs any {@code Callable} (a function made a task, an object no catalog lists),
 * each job of its very object; a pool whose workers are elsewhere refuses, before any work starts,
 * what those workers cannot have.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class OwnTasksTest {

  private final ClusterPool pool = ClusterPool.embedded(2);

  @AfterAll
  void stop() {
    pool.terminate();
    assertTrue(pool.join(Duration.ofSeconds(10)));
  }

  /** A task no catalog lists: an object of an anonymous class, with a state of its own. */
  private static LongTask times(long factor) {
    return new LongTask() {
      @Override
      public String name() {
        return "times";
      }

      @Override
      public String description() {
        return "x * " + factor;
      }

      @Override
      public long applyAsLong(long x, TaskContext context) {
        return x * factor;
      }
    };
  }

  @Test
  void aFunctionMadeATaskRunsOnTheEmbeddedWorkersTypedElementByElement() {
    Task<Long, Long> cube = Task.cpu("cube", ValueTypes.LONG, ValueTypes.LONG, x -> x * x * x);
    List<Long> cubes = pool.map(cube, Inputs.range(1, 1000), 7);
    assertEquals(1000, cubes.size());
    for (int i = 0; i < 1000; i++)
      assertEquals((long) (i + 1) * (i + 1) * (i + 1), cubes.get(i), "input " + (i + 1));
    Task<Long, String> later =
        Task.async(
            "later",
            ValueTypes.LONG,
            ValueTypes.TEXT,
            x -> CompletableFuture.supplyAsync(() -> "v" + x));
    assertEquals(List.of("v1", "v2", "v3"), pool.map(later, List.of(1L, 2L, 3L)));
    assertEquals(
        9L, pool.apply(Task.cpu("square-it", ValueTypes.LONG, ValueTypes.LONG, x -> x * x), 3L));
  }

  @Test
  void twoTasksOfOneNameRunSideBySideEachJobOnItsOwnObject() throws Exception {
    var doubled = pool.mapAsync(times(2), Inputs.range(1, 20_000), 10).toCompletableFuture();
    var tripled = pool.mapAsync(times(3), Inputs.range(1, 20_000), 10).toCompletableFuture();
    List<Long> two = doubled.get(30, TimeUnit.SECONDS);
    List<Long> three = tripled.get(30, TimeUnit.SECONDS);
    for (int i = 0; i < 20_000; i++) {
      assertEquals(2L * (i + 1), two.get(i));
      assertEquals(3L * (i + 1), three.get(i));
    }
    // and the catalog's own tasks as before, from its objects or an object of the same class
    assertEquals(List.of(1L, 4L, 9L), pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L, 3L)));
  }

  @Test
  void anInputCheckRefusesBeforeAnyWorkAndAFailingFunctionNamesItsInput() {
    Task<Long, Long> cube =
        Task.cpu("cube", ValueTypes.LONG, ValueTypes.LONG, x -> x * x * x)
            .accepting(x -> Math.abs(x) <= 2_097_151, "-2097151..2097151");
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> pool.map(cube, List.of(1L, 3_000_000L)));
    assertEquals("input at position 1: cube: accepted -2097151..2097151", refused.getMessage());

    Task<Long, Long> inverse = Task.cpu("inverse", ValueTypes.LONG, ValueTypes.LONG, x -> 100 / x);
    TaskFailedException failed =
        assertThrows(TaskFailedException.class, () -> pool.map(inverse, List.of(5L, 0L, 4L), 1));
    assertEquals("inverse", failed.task());
    assertEquals("0", failed.input());
    assertEquals(1, failed.position());
    assertTrue(
        failed
            .getMessage()
            .startsWith(
                "task 'inverse' failed on input 0 (position 1): ArithmeticException: / by zero"),
        failed.getMessage());
  }

  @Test
  void aTaskThatReturnsNullForANumberFailsThatInputInsteadOfGivingZero() {
    Task<Long, Long> none =
        Task.cpu("none", ValueTypes.LONG, ValueTypes.LONG, x -> x == 2 ? null : x);
    TaskFailedException failed =
        assertThrows(TaskFailedException.class, () -> pool.map(none, List.of(1L, 2L, 3L), 1));
    assertEquals(1, failed.position());
    assertTrue(
        failed.getMessage().contains("NullPointerException: task 'none' returned null"),
        failed.getMessage());
    Task<Double, Double> noDouble =
        Task.cpu("no-double", ValueTypes.DOUBLE, ValueTypes.DOUBLE, x -> null);
    assertThrows(TaskFailedException.class, () -> pool.map(noDouble, List.of(1.0)));
    Task<Long, Long> noneLater =
        Task.async(
            "none-later",
            ValueTypes.LONG,
            ValueTypes.LONG,
            x -> CompletableFuture.completedFuture(null));
    TaskFailedException async =
        assertThrows(TaskFailedException.class, () -> pool.map(noneLater, List.of(7L)));
    assertTrue(async.getMessage().contains("returned null"), async.getMessage());
    // text has a null: it comes back as it went
    Task<String, String> text = Task.cpu("null-text", ValueTypes.TEXT, ValueTypes.TEXT, x -> null);
    assertEquals(java.util.Arrays.asList((String) null), pool.map(text, List.of("a")));
  }

  @Test
  void aRegisteredObjectIsForgottenOnceItsJobsEnd() throws Exception {
    Task<Long, Long> negate = Task.cpu("negate", ValueTypes.LONG, ValueTypes.LONG, x -> -x);
    assertEquals(List.of(-1L, -2L), pool.map(negate, List.of(1L, 2L)));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (versionsOf("negate", pool.status(Duration.ofSeconds(5))) > 0) {
      assertTrue(
          System.nanoTime() < deadline, "the node still says it runs 'negate' after its job ended");
      Thread.sleep(20);
    }
  }

  private static long versionsOf(String task, ClusterStatus status) {
    return status.tasks().stream().filter(v -> v.task().equals(task)).count();
  }

  @Test
  void aPoolWhoseWorkersAreElsewhereRefusesAFunctionAndATaskTheirNodesLackBeforeAnyWork() {
    // a member whose node has the class path's catalog, and a pool connected to it as to any
    // cluster
    Config config =
        LayeredConfig.load("embedded")
            .withValue("clusterpool.worker.per-node", ConfigValueFactory.fromAnyRef(1));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "clusterpool", config);
    try {
      system.systemActorOf(
          WorkerNode.create(WorkerSettings.fromConfig(config), TaskCatalog.shared(), true),
          "workers",
          Props.empty());
      ActorRef<CoordinatorProtocol.Command> coordinator =
          system.systemActorOf(
              CoordinatorGuardian.create(CoordinatorSettings.fromConfig(config)),
              "coordinator",
              Props.empty());
      ClusterPool connected = ClusterPool.connect(system, coordinator, 1);
      assertEquals(
          List.of(4L), connected.map(BuiltinTasks.SQUARE, List.of(2L)), "what the nodes have runs");

      Task<Long, Long> cube = Task.cpu("cube", ValueTypes.LONG, ValueTypes.LONG, x -> x * x * x);
      TaskUnavailableException function =
          assertThrows(TaskUnavailableException.class, () -> connected.map(cube, List.of(2L)));
      assertTrue(
          function
              .getMessage()
              .startsWith(
                  "task 'cube' is made from a function (Task.cpu or Task.async): a function never"
                      + " leaves the JVM that made it"),
          function.getMessage());

      CompletionException lacking =
          assertThrows(
              CompletionException.class,
              () -> connected.mapAsync(times(2), List.of(2L)).toCompletableFuture().join());
      assertTrue(
          lacking.getCause() instanceof TaskUnavailableException,
          String.valueOf(lacking.getCause()));
      assertTrue(
          lacking
              .getCause()
              .getMessage()
              .matches(
                  "the job was refused: no worker node has task 'times' \\(sha256:[0-9a-f]{16}\\): "
                      + "pekko://clusterpool has no task 'times' \\(they have .*"),
          lacking.getCause().getMessage());
      assertFalse(
          connected.status(Duration.ofSeconds(5)).jobs().stream()
              .anyMatch(j -> j.task().equals("times")),
          "nothing of it waits");
      connected.close();
    } finally {
      system.terminate();
      system
          .getWhenTerminated()
          .toCompletableFuture()
          .orTimeout(30, TimeUnit.SECONDS)
          .exceptionally(e -> null)
          .join();
    }
  }
}
