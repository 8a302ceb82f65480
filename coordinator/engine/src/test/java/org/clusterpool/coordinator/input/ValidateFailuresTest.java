package org.clusterpool.coordinator.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.TaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task's {@code validate} that fails otherwise than by refusing the input with a message is one
 * line that names the task, the input and what it threw.
 */
@Timeout(30)
class ValidateFailuresTest {
  private static final InputParser PARSER =
      InputParser.forCommandLine(new InputLimits(1000, 1000, 1 << 20));

  /** Refuses 4 as {@code validate} says: with an exception of the kind given. */
  private record Refusing(Throwable fourIs) implements LongTask {
    @Override
    public String name() {
      return "refusing";
    }

    @Override
    public String description() {
      return "refuses 4";
    }

    @Override
    public void validate(Long input) {
      if (input == 4) throw Refusing.<RuntimeException>sneaky(fourIs);
    }

    /** Throws what it is given, checked or not, as a class compiled elsewhere may. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
      throw (T) t;
    }

    @Override
    public long applyAsLong(long input, TaskContext context) {
      return input;
    }
  }

  private static String refused(Throwable fourIs, String... tokens) {
    return assertThrows(InputError.class, () -> PARSER.parse(new Refusing(fourIs), List.of(tokens)))
        .getMessage();
  }

  @Test
  void aTaskThatThrowsInValidateIsNamedWithTheInputAndTheCause() {
    assertEquals(
        "input '4' is refused: the validate of task 'refusing' threw NullPointerException without"
            + " a message",
        refused(new NullPointerException(), "4"));
    assertEquals(
        "input '4' is refused: the validate of task 'refusing' threw IllegalStateException: no"
            + " config",
        refused(new IllegalStateException("no config"), "3,4"));
    assertEquals(
        "input 4 is refused: the validate of task 'refusing' threw IllegalArgumentException"
            + " without a message",
        refused(new IllegalArgumentException(), "1..5"));
    assertEquals(
        "input '4' is refused: not 4", refused(new IllegalArgumentException("not 4"), "4"));
  }

  @Test
  void aCallIsNamedTheSameWay() {
    InputError e =
        assertThrows(
            InputError.class,
            () ->
                CallParser.forCommandLine(
                        new InputLimits(1000, 1000, 1 << 20),
                        TaskCatalog.of(List.of(new Refusing(new NullPointerException()))))
                    .parse(List.of("refusing:4")));
    assertEquals(
        "cannot read call 'refusing:4': the validate of task 'refusing' threw NullPointerException"
            + " without a message",
        e.getMessage());
  }

  /**
   * An error or a checked exception is refused the same way: once one escaped and left the command
   * waiting for ever on its pool's threads.
   */
  @Test
  void anErrorOrACheckedExceptionIsNamedTheSameWay() {
    assertEquals(
        "input '4' is refused: the validate of task 'refusing' threw AssertionError: assertion",
        refused(new AssertionError("assertion"), "4"));
    assertEquals(
        "input 4 is refused: the validate of task 'refusing' threw InternalError without a"
            + " message",
        refused(new InternalError(), "1..5"));
    assertEquals(
        "input '4' is refused: the validate of task 'refusing' threw IOException: checked",
        refused(new java.io.IOException("checked"), "4"));
    InputError call =
        assertThrows(
            InputError.class,
            () ->
                CallParser.forCommandLine(
                        new InputLimits(1000, 1000, 1 << 20),
                        TaskCatalog.of(List.of(new Refusing(new AssertionError("assertion")))))
                    .parse(List.of("refusing:4")));
    assertEquals(
        "cannot read call 'refusing:4': the validate of task 'refusing' threw AssertionError:"
            + " assertion",
        call.getMessage());
  }

  /** An exception whose own getMessage() throws: still one line, naming what threw. */
  @Test
  void anExceptionWhoseMessageThrowsIsNamedToo() {
    RuntimeException broken =
        new IllegalArgumentException() {
          @Override
          public String getMessage() {
            throw new IllegalStateException("boom");
          }
        };
    assertEquals(
        "input '4' is refused: the validate of task 'refusing' threw "
            + broken.getClass().getName()
            + ", whose getMessage() threw IllegalStateException",
        refused(broken, "4"));
  }

  /** A pool given inputs in Java says it the same way, by the input's position. */
  @Test
  void aPoolSaysItTheSameWay() {
    try (org.clusterpool.coordinator.pool.ClusterPool pool =
        org.clusterpool.coordinator.pool.ClusterPool.embedded(1)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> pool.map(new Refusing(new NullPointerException()), List.of(1L, 4L)));
      assertEquals(
          "input at position 1: the validate of task 'refusing' threw NullPointerException"
              + " without a message",
          e.getMessage());
      IllegalArgumentException range =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  pool.map(
                      new Refusing(new IllegalStateException("no config")),
                      org.clusterpool.coordinator.pool.Inputs.range(1, 5)));
      assertEquals(
          "input 4: the validate of task 'refusing' threw IllegalStateException: no config",
          range.getMessage());
    }
  }
}
