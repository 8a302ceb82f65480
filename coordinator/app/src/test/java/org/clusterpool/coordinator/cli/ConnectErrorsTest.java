package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** --connect's errors say what went wrong, and never repeat a password of the URL. */
@Timeout(60)
class ConnectErrorsTest {

  @Test
  void aUrlsPasswordIsNeverRepeated() {
    MainTest.Run run = MainTest.run("map", "square", "1", "--connect=http://user:pw@127.0.0.1:1");
    assertEquals(1, run.code(), run.err());
    assertFalse(run.err().contains("pw"), run.err());
    assertTrue(run.err().contains("nothing listens on http://127.0.0.1:1"), run.err());
    MainTest.Run bad = MainTest.run("map", "square", "1", "--connect=http://user:pw@:x");
    assertEquals(2, bad.code(), bad.err());
    assertFalse(bad.err().contains("pw"), bad.err());
  }

  @Test
  void aHostThatDoesNotResolveIsNamed() {
    MainTest.Run run = MainTest.run("map", "square", "1", "--connect=http://nonexistent.invalid:1");
    assertEquals(1, run.code(), run.err());
    assertTrue(
        run.err().contains("the host name 'nonexistent.invalid'")
            && run.err().contains("did not resolve"),
        run.err());
    assertFalse(run.err().contains("connection refused"), run.err());
    assertFalse(
        run.err().contains("is it running"), "the URL is wrong, not the cluster: " + run.err());
  }

  @Test
  void aPortOutOfRangeIsAUsageError() {
    MainTest.Run run = MainTest.run("map", "square", "1", "--connect=http://127.0.0.1:65536");
    assertEquals(2, run.code(), run.err());
    assertTrue(run.err().contains("a port is 1..65535"), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
  }
}
