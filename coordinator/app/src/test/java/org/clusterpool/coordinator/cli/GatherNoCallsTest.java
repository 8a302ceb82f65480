package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A gather of no calls is refused, as a map of no inputs is. */
@Timeout(60)
class GatherNoCallsTest {

  @Test
  void anEmptyFileOfCallsIsAUsageError(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("calls.txt"), "\n\n");
    MainTest.Run run = MainTest.run("gather", "@" + empty);
    assertEquals(2, run.code(), run.err());
    assertEquals("", run.out());
    assertTrue(run.err().startsWith("clusterpool: no calls given: "), run.err());
  }

  @Test
  void emptyStandardInputIsAUsageError() {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(new byte[0]));
    try {
      MainTest.Run run = MainTest.run("gather", "-");
      assertEquals(2, run.code(), run.err());
      assertTrue(run.err().startsWith("clusterpool: no calls given: "), run.err());
    } finally {
      System.setIn(saved);
    }
  }
}
