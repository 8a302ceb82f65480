package org.clusterpool.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.clusterpool.coordinator.connect.ApiToken;
import org.clusterpool.coordinator.connect.TokenFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token made when none is given, the files that hold one, and when no token is allowed. */
class TokenFilesTest {
  @TempDir Path dir;

  @Test
  void aTokenMadeIsWrittenForItsOwnerOnlyAndKept() throws Exception {
    Path file = dir.resolve("home/.clusterpool/http-token");
    ApiToken made = TokenFiles.readOrCreate(file);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    assertTrue(
        made.value().matches("[A-Za-z0-9_-]{43}"), "256 bits, URL-safe: " + made.value().length());
    assertEquals(made.value(), TokenFiles.readOrCreate(file).value(), "made once, read after");
    assertEquals(
        List.of(file.getFileName()),
        Files.list(file.getParent()).map(Path::getFileName).toList(),
        "no temporary file left");

    Set<String> tokens = new HashSet<>();
    for (int i = 0; i < 100; i++) tokens.add(ApiToken.random());
    assertEquals(100, tokens.size());
  }

  @Test
  void aFileOpenToOthersIsRefused() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, ApiToken.random());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> TokenFiles.read(file));
    assertTrue(
        refused.getMessage().contains("is open to others (rw-r-----)"), refused.getMessage());
    assertFalse(refused.getMessage().contains("\n"));
    AccessSettings settings = new AccessSettings("", file.toString(), true, false, List.of());
    assertThrows(IllegalArgumentException.class, () -> ApiAccess.resolve(settings, "127.0.0.1"));
  }

  @Test
  void theHeaderIsComparedWhole() {
    ApiToken token = ApiToken.of("0123456789abcdefXYZ", "a test");
    assertTrue(token.acceptsHeader(Optional.of("Bearer 0123456789abcdefXYZ")));
    assertTrue(token.acceptsHeader(Optional.of("bearer  0123456789abcdefXYZ ")));
    assertFalse(token.acceptsHeader(Optional.of("Bearer 0123456789abcdefXY")));
    assertFalse(token.acceptsHeader(Optional.of("Bearer 0123456789abcdefXYZZ")));
    assertFalse(token.acceptsHeader(Optional.of("0123456789abcdefXYZ")));
    assertFalse(token.acceptsHeader(Optional.empty()));
    assertFalse(token.toString().contains("0123"), "never in a log");
  }

  @Test
  void noTokenIsAllowedOnLoopbackOnlyUnlessInsecure() {
    AccessSettings off = new AccessSettings("", "", false, false, List.of());
    assertTrue(ApiAccess.resolve(off, "127.0.0.1").open());
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> ApiAccess.resolve(off, "0.0.0.0"));
    assertTrue(refused.getMessage().contains("--insecure-no-token"), refused.getMessage());
    assertTrue(ApiAccess.resolve(off.withInsecureNoToken(), "0.0.0.0").open());
    AccessSettings given =
        new AccessSettings("a-token-of-the-operator", "", true, false, List.of());
    assertEquals(
        "a-token-of-the-operator",
        ApiAccess.resolve(given, "0.0.0.0").token().orElseThrow().value());
  }
}
