package org.clusterpool.coordinator.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.Test;

/**
 * The live jobs and their rounds on their own: jobs take turns, a job set aside keeps its place at
 * the front, and a job that ended or has nothing queued takes no turn.
 */
class JobRoundsTest {

  private final Units units = new Units();

  private JobState job(Jobs jobs, String id, int chunks) {
    JobState job = new JobState(id, CoordinatorTest.task("square"), null);
    jobs.add(job);
    for (int i = 0; i < chunks; i++) units.open(job, new Chunk(i, i, new Values.LongRange(i, 1)));
    return job;
  }

  @Test
  void jobsTakeTurnsOneBatchEach() {
    Jobs jobs = new Jobs();
    JobState a = job(jobs, "a", 3);
    JobState b = job(jobs, "b", 3);
    jobs.ready(a);
    jobs.ready(b);
    jobs.ready(a); // once in its round, however often it is ready
    JobState first = jobs.nextInRound(TaskKind.CPU);
    first.poll();
    jobs.ready(first); // back at the end after its turn
    assertEquals(
        List.of(a, b, a),
        List.of(first, jobs.nextInRound(TaskKind.CPU), jobs.nextInRound(TaskKind.CPU)));
    assertNull(jobs.nextInRound(TaskKind.CPU), "each job was taken once per turn");
    assertNull(jobs.nextInRound(TaskKind.ASYNC), "cpu jobs are not in the async round");
  }

  @Test
  void jobsSetAsideGoBackToTheFrontInTheirOrder() {
    Jobs jobs = new Jobs();
    JobState a = job(jobs, "a", 1);
    JobState b = job(jobs, "b", 1);
    JobState c = job(jobs, "c", 1);
    for (JobState job : List.of(a, b, c)) jobs.ready(job);
    List<JobState> setAside =
        List.of(jobs.nextInRound(TaskKind.CPU), jobs.nextInRound(TaskKind.CPU));
    jobs.putBack(TaskKind.CPU, setAside);
    assertEquals(
        List.of(a, b, c),
        List.of(
            jobs.nextInRound(TaskKind.CPU),
            jobs.nextInRound(TaskKind.CPU),
            jobs.nextInRound(TaskKind.CPU)));
  }

  @Test
  void aJobThatEndedOrHasNothingQueuedTakesNoTurn() {
    Jobs jobs = new Jobs();
    JobState empty = job(jobs, "empty", 0);
    JobState ended = job(jobs, "ended", 1);
    JobState live = job(jobs, "live", 1);
    jobs.ready(empty);
    jobs.ready(ended);
    jobs.ready(live);
    assertFalse(jobs.forget(ended), "its client has other jobs: it stays watched");
    assertFalse(jobs.contains(ended));
    assertEquals(live, jobs.nextInRound(TaskKind.CPU));
    jobs.putBack(TaskKind.CPU, List.of(ended));
    assertNull(jobs.nextInRound(TaskKind.CPU), "an ended job is not put back");
  }

  @Test
  void aClientThatStopsTakesItsJobsWithIt() {
    Jobs jobs = new Jobs();
    JobState a = job(jobs, "a", 1);
    JobState b = job(jobs, "b", 1);
    assertEquals(2, jobs.clientStopped(null).size());
    assertEquals(List.of(), jobs.clientStopped(null), "the client's jobs are handed over once");
    assertFalse(jobs.forget(a), "a stopped client is not unwatched again");
    assertTrue(jobs.contains(b));
  }

  @Test
  void aClientIsWatchedFromItsFirstJobToTheEndOfItsLast() {
    Jobs jobs = new Jobs();
    JobState a = new JobState("a", CoordinatorTest.task("square"), null);
    JobState b = new JobState("b", CoordinatorTest.task("square"), null);
    assertTrue(jobs.add(a), "its first job: watch the client");
    assertFalse(jobs.add(b));
    assertFalse(jobs.forget(a));
    assertTrue(jobs.forget(b), "its last job ended: stop watching it");
  }
}
