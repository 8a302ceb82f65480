package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.clusterpool.coordinator.connect.ApiToken;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token on the command line: a coordinator refuses, in one line and with exit code 2, a token
 * file that others may read and an API beyond loopback without a token; {@code --connect URL} with
 * a wrong token fails in one line that says so, and one without any token says how to give it.
 */
@ExtendWith(SharedCluster.Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class TokenOptionsTest {
  @TempDir Path dir;
  private String url;

  @BeforeAll
  void start(SharedCluster cluster) {
    url = cluster.url().toString();
  }

  private Path tokenFile(String name, String token, String mode) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, token + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  private static void assertUsage(MainTest.Run run, String start) {
    assertEquals(2, run.code(), run.err());
    assertEquals("", run.out());
    assertEquals(1, run.err().lines().count(), "one line: " + run.err());
    assertTrue(run.err().startsWith("clusterpool: " + start), run.err());
  }

  @Test
  void aCoordinatorRefusesATokenFileOthersMayRead() throws IOException {
    for (String mode : new String[] {"rw-r--r--", "rw-rw----", "rw-----w-"}) {
      Path open = tokenFile("open-" + mode, ApiToken.random(), mode);
      assertUsage(
          MainTest.run(
              "coordinator", "--port", "0", "--http-port", "0", "--token-file", open.toString()),
          "the token file " + open + " is open to others (" + mode + ")");
    }
    assertUsage(
        MainTest.run(
            "coordinator",
            "--port",
            "0",
            "--http-port",
            "0",
            "--token-file",
            dir.resolve("none").toString()),
        "no token file " + dir.resolve("none"));
    Path shortOne = tokenFile("short", "abc", "rw-------");
    assertUsage(
        MainTest.run(
            "coordinator", "--port", "0", "--http-port", "0", "--token-file", shortOne.toString()),
        "the HTTP API token from the file " + shortOne + " is 3 characters long");
  }

  @Test
  void aCoordinatorRefusesAnApiBeyondLoopbackWithoutAToken() {
    assertUsage(
        MainTest.run(
            "coordinator",
            "--port",
            "0",
            "--http-port",
            "0",
            "--http-interface",
            "0.0.0.0",
            "--no-token"),
        "the HTTP API would listen on 0.0.0.0, beyond this machine, without a token");
  }

  @Test
  void connectWithAWrongTokenFailsInOneLineThatSaysSo() throws IOException {
    Path wrong = tokenFile("wrong", ApiToken.random(), "rw-------");
    MainTest.Run run =
        MainTest.run("map", "square", "1..3", "--connect", url, "--token-file", wrong.toString());
    assertEquals(1, run.code(), run.err());
    assertEquals(1, run.err().lines().count(), "one line: " + run.err());
    assertTrue(run.err().contains("refused the token given: it is not this cluster's"), run.err());

    Path open = tokenFile("open", SharedCluster.TOKEN, "rw-r--r--");
    assertUsage(
        MainTest.run("map", "square", "1..3", "--connect", url, "--token-file", open.toString()),
        "--token-file: the token file " + open + " is open to others");
    assertUsage(
        MainTest.run("map", "square", "1..3", "--token-file", wrong.toString()),
        "--token-file goes with --connect");

    MainTest.Run right =
        MainTest.run(
            "map",
            "square",
            "1..3",
            "--connect",
            url,
            "--token-file",
            SharedCluster.tokenFile().toString());
    assertEquals(0, right.code(), right.err());
    assertEquals("1\n4\n9\n", right.out());
  }

  @Test
  void connectWithoutAnyTokenSaysHowToGiveOne() {
    String before = System.getProperty("clusterpool.home");
    System.setProperty(
        "clusterpool.home",
        dir.resolve("empty-home").toString()); // no state, no token made by hand
    try {
      MainTest.Run run = MainTest.run("map", "square", "1..3", "--connect", url);
      assertEquals(1, run.code(), run.err());
      assertEquals(1, run.err().lines().count(), "one line: " + run.err());
      assertTrue(
          run.err()
              .contains("asks for a token: give it with --token-file FILE or CLUSTERPOOL_TOKEN"),
          run.err());
    } finally {
      if (before == null) System.clearProperty("clusterpool.home");
      else System.setProperty("clusterpool.home", before);
    }
  }
}
