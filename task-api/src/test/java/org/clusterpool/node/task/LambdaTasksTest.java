package org.clusterpool.node.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Tasks made from functions: typed, named as tasks are, checking their inputs when told to, failing
 * as they fail.
 */
class LambdaTasksTest {

  @Test
  void aCpuTaskFromAFunctionIsTypedByItsValueTypes() throws Exception {
    LambdaCpuTask<Long, Long> cube =
        Task.cpu("cube", ValueTypes.LONG, ValueTypes.LONG, x -> x * x * x);
    assertEquals("cube", cube.name());
    assertEquals(TaskKind.CPU, cube.kind());
    assertSame(ValueTypes.LONG, cube.inputType());
    assertSame(ValueTypes.LONG, cube.outputType());
    assertEquals(27L, cube.apply(3L, null));
    assertEquals("a function given in Java", cube.description());
    assertEquals("x * x * x", cube.describedAs("x * x * x").description());
    assertFalse(Task.validates(cube), "no check given: inputs are not walked");

    LambdaCpuTask<Length, String> shown =
        Task.cpu("shown", ValueTypes.record(Length.class), ValueTypes.TEXT, l -> "#" + l.value());
    assertEquals("#4", shown.apply(shown.inputType().parse("4"), null));
  }

  /** A record input, read from the command line as its one component. */
  record Length(long value) {}

  @Test
  void anInputCheckRefusesWhatItDoesNotAcceptSayingWhatItAccepts() {
    LambdaCpuTask<Long, Long> cube =
        Task.cpu("cube", ValueTypes.LONG, ValueTypes.LONG, x -> x * x * x)
            .accepting(x -> Math.abs(x) <= 2_097_151, "-2097151..2097151");
    assertTrue(Task.validates(cube));
    cube.validate(2_097_151L);
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> cube.validate(3_000_000L));
    assertEquals("cube: accepted -2097151..2097151", refused.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> cube.accepting(x -> true, " "),
        "a check says what it accepts");
  }

  @Test
  void aNameThatIsNotATasksAndMissingPartsAreRefusedWhenTheTaskIsMade() {
    IllegalArgumentException name =
        assertThrows(
            IllegalArgumentException.class,
            () -> Task.cpu("Cube!", ValueTypes.LONG, ValueTypes.LONG, x -> x));
    assertEquals(
        "a task's name must be lower case letters, digits and -, starting with a letter, at most 64"
            + " characters, got 'Cube!'",
        name.getMessage());
    NullPointerException type =
        assertThrows(
            NullPointerException.class,
            () -> Task.cpu("cube", (ValueType<Long>) null, ValueTypes.LONG, x -> x));
    assertEquals("the input type of task 'cube'", type.getMessage());
    assertThrows(
        NullPointerException.class, () -> Task.cpu("cube", ValueTypes.LONG, ValueTypes.LONG, null));
  }

  @Test
  void aFailingFunctionFailsItsInputAsItFailed() {
    LambdaCpuTask<Long, Long> inverse =
        Task.cpu("inverse", ValueTypes.LONG, ValueTypes.LONG, x -> 100 / x);
    ArithmeticException thrown =
        assertThrows(ArithmeticException.class, () -> inverse.apply(0L, null));
    assertEquals("/ by zero", thrown.getMessage());
  }

  @Test
  void anAsyncTaskFromAFunctionReturnsItsStageAndAFailureAsAFailedStage() {
    LambdaAsyncTask<Long, String> later =
        Task.async(
            "later",
            ValueTypes.LONG,
            ValueTypes.TEXT,
            x -> CompletableFuture.completedFuture("v" + x));
    assertEquals(TaskKind.ASYNC, later.kind());
    assertEquals("v7", later.apply(7L, null).toCompletableFuture().join());

    LambdaAsyncTask<Long, String> throwing =
        Task.async(
            "throwing",
            ValueTypes.LONG,
            ValueTypes.TEXT,
            x -> {
              throw new IllegalStateException("no stage for " + x);
            });
    CompletionException failed =
        assertThrows(
            CompletionException.class, () -> throwing.apply(3L, null).toCompletableFuture().join());
    assertEquals("no stage for 3", failed.getCause().getMessage());

    LambdaAsyncTask<Long, String> none =
        Task.async("none", ValueTypes.LONG, ValueTypes.TEXT, x -> null);
    CompletionException empty =
        assertThrows(
            CompletionException.class, () -> none.apply(3L, null).toCompletableFuture().join());
    assertEquals("task 'none' returned no CompletionStage", empty.getCause().getMessage());
  }

  @Test
  void eachTaskMadeIsATaskOfItsOwn() {
    LambdaCpuTask<Long, Long> cube =
        Task.cpu("cube", ValueTypes.LONG, ValueTypes.LONG, x -> x * x * x);
    assertNotSame(cube, cube.describedAs("cubes"));
    assertNotSame(cube.accepting(x -> true, "any"), cube.accepting(x -> true, "any"));
  }
}
