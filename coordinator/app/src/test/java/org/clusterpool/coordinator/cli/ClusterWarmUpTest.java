package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's cluster must form and answer: its failures are silent on purpose (the class-data
 * archive is then made without the members' classes), so this test is where one would show.
 */
class ClusterWarmUpTest {
  @Test
  void aCoordinatorMemberAndAWorkerMemberOfThisJvmRunAJobOverMutualTls() {
    assertTimeoutPreemptively(Duration.ofSeconds(90), () -> assertDoesNotThrow(ClusterWarmUp::run));
  }
}
