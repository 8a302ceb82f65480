package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.clusterpool.coordinator.cli.Main;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pool used as a Python user writes it: {@code for x in pool.imap(...)} and {@code for f in
 * as_completed(...)} as for-each loops, and the arguments Python's {@code Pool} refuses refused
 * here too, with the same meaning, by the Java API and by the command line.
 */
@Timeout(120)
class PythonLikeUseTest {
  private static ClusterPool pool;

  @BeforeAll
  static void start() {
    pool = ClusterPool.embedded(2);
  }

  @AfterAll
  static void stop() {
    pool.terminate();
    pool.join(java.time.Duration.ofSeconds(30));
  }

  @Test
  void imapAndImapUnorderedAreWalkedWithAForEachLoop() {
    List<Long> squares = new ArrayList<>();
    for (long square : pool.imap(BuiltinTasks.SQUARE, Inputs.range(1, 5))) squares.add(square);
    assertEquals(List.of(1L, 4L, 9L, 16L, 25L), squares);
    long sum = 0;
    for (long square : pool.imapUnordered(BuiltinTasks.SQUARE, Inputs.range(1, 100), 7))
      sum += square;
    assertEquals(338_350, sum);
  }

  @Test
  void likeAPythonIteratorItIsWalkedOnceASecondLoopGoesOnWhereTheFirstStopped() {
    try (ResultIterator<Long> squares = pool.imap(BuiltinTasks.SQUARE, Inputs.range(1, 4), 1)) {
      for (long square : squares) {
        assertEquals(1, square);
        break;
      }
      List<Long> rest = new ArrayList<>();
      for (long square : squares) rest.add(square);
      assertEquals(List.of(4L, 9L, 16L), rest);
    }
  }

  @Test
  void asCompletedIsWalkedWithAForEachLoopAndAClosedOneSaysWhatCancelledTheRest() {
    List<Call<?>> calls =
        List.of(Call.of(BuiltinTasks.SLEEP, 60.0), Call.of(BuiltinTasks.SQUARE, 3L));
    List<Completed<?>> seen = new ArrayList<>();
    try (Gather.AsCompleted completed = pool.asCompleted(calls.toArray(Call[]::new))) {
      for (Completed<?> done : completed) {
        seen.add(done);
        if (seen.size() == 1)
          completed.close(); // stop waiting for the sleep: it is cancelled, and still handed out
      }
    }
    assertEquals(2, seen.size());
    assertEquals(9L, seen.get(0).get());
    Completed<?> sleep = seen.get(1);
    assertEquals(0, sleep.position());
    CancellationException why = assertInstanceOf(CancellationException.class, sleep.error());
    assertTrue(
        why.getMessage().contains("the as_completed iterator was closed before the call finished"),
        why.getMessage());
  }

  @Test
  void aCancellationGivenAReasonCarriesIt() {
    try (Gather.AsCompleted completed = pool.asCompleted(Call.of(BuiltinTasks.SLEEP, 60.0))) {
      completed.cancel("by DELETE /jobs/x-1");
      Completed<?> sleep = completed.next();
      assertTrue(
          sleep.error().getMessage().contains("by DELETE /jobs/x-1"), sleep.error().getMessage());
      assertFalse(completed.hasNext());
    }
  }

  @Test
  void whatPythonsPoolRefusesTheApiRefusesWithTheSameMeaning() {
    // Pool(processes=0): "Number of processes must be at least 1"
    IllegalArgumentException processes =
        assertThrows(IllegalArgumentException.class, () -> ClusterPool.embedded(0));
    assertTrue(
        processes
            .getMessage()
            .startsWith("the number of workers must be between 1 and 1024, got 0"),
        processes.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ClusterPool.embedded(-2));
    // imap(f, xs, chunksize=0): "Chunksize must be 1+, not 0"; map's negative chunksize fails in
    // Python too
    for (int chunksize : new int[] {0, -1}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> pool.map(BuiltinTasks.SQUARE, List.of(1L), chunksize));
      assertEquals(
          "chunksize must be at least 1, got "
              + chunksize
              + " (as in Python's Pool); leave it out to have it chosen",
          e.getMessage());
      assertThrows(
          IllegalArgumentException.class,
          () -> pool.imap(BuiltinTasks.SQUARE, List.of(1L), chunksize));
      assertThrows(
          IllegalArgumentException.class,
          () -> pool.imapUnordered(BuiltinTasks.SQUARE, List.of(1L), chunksize));
      assertThrows(
          IllegalArgumentException.class,
          () -> pool.mapAsync(BuiltinTasks.SQUARE, List.of(1L), chunksize));
      assertThrows(
          IllegalArgumentException.class,
          () -> pool.starmap(BuiltinTasks.POW, List.of(List.of(2, 3)), chunksize));
    }
    // left out, it is chosen: Python's chunksize=None
    assertEquals(List.of(1L, 4L), pool.map(BuiltinTasks.SQUARE, List.of(1L, 2L)));
    assertEquals(
        List.of(1L, 4L),
        pool.mapAsync(BuiltinTasks.SQUARE, List.of(1L, 2L)).toCompletableFuture().join());
    assertEquals(List.of(8L), pool.starmap(BuiltinTasks.POW, List.of(List.of(2, 3))));
    assertThrows(
        IllegalArgumentException.class,
        () -> pool.stream(BuiltinTasks.SQUARE, List.of(1L), -1, true, JobListener.NONE));
  }

  @Test
  void whatPythonsPoolRefusesTheCommandLineRefusesWithAOneLineUsageError() {
    for (String[] args :
        List.of(
            new String[] {"map", "square", "1..3", "--chunksize", "0"},
            new String[] {"starmap", "pow", "2,3", "--chunksize", "-1"},
            new String[] {"map", "square", "1..3", "--workers", "0"},
            new String[] {"apply", "square", "3", "--workers", "-1"},
            new String[] {"demo", "pool", "--workers", "0"},
            new String[] {"gather", "square:3", "--limit", "0"})) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
      assertEquals(2, code, String.join(" ", args) + ": " + err);
      assertEquals("", out.toString());
      String line = err.toString().strip();
      assertEquals(1, line.lines().count(), "one line: " + line);
      assertTrue(
          line.matches(
              "clusterpool: --(chunksize|workers|limit) must be (at least 1|between 1 and \\d+),"
                  + " got -?\\d+.*"),
          line);
    }
  }
}
