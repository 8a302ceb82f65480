package org.clusterpool.coordinator.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Files that hold a secret (the HTTP API's token, a cluster's state): readable by their owner only.
 * One whose mode lets its group or others in is refused, as ssh refuses a private key: the secret
 * may have been read already, and a file anybody can write may hold a token somebody else chose.
 */
public final class TokenFiles {
  private TokenFiles() {}

  /** rw-------: what a secret's file is created with. */
  public static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private static final Set<PosixFilePermission> OWNER_DIRECTORY =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  /** The most a token file holds: a token is a line, far shorter. */
  private static final long MAX_BYTES = 4096;

  /**
   * Where the HTTP API keeps the token it made when none was given: {@code .clusterpool/http-token}
   * in the project's home ({@code clusterpool.home}, set by {@code bin/clusterpool}), else in the
   * user's home. Every coordinator this user starts without a token uses the same one, and {@code
   * --connect URL} finds it there.
   */
  public static Path defaultLocation() {
    String home = System.getProperty("clusterpool.home");
    Path base =
        home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"));
    return base.resolve(".clusterpool").resolve("http-token");
  }

  /**
   * The token in {@code file}; refused with one line when it is missing, open to others, or not a
   * token.
   */
  public static ApiToken read(Path file) {
    checkOwnerOnly(file);
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new IllegalArgumentException(
            "the token file "
                + file
                + " is larger than "
                + MAX_BYTES
                + " bytes: it holds one token on one line");
      }
      return ApiToken.of(Files.readString(file, StandardCharsets.UTF_8), "the file " + file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "no token file "
              + file
              + ": give a file that holds the token, readable by you only (chmod 600)");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the token file " + file + ": " + e.getMessage());
    }
  }

  /**
   * The token of {@code file} when it exists, else a new one written there, rw------- from its
   * creation on (never a moment readable by others), in a folder rwx------ when this makes it. Two
   * JVMs that start at once agree: the one that loses the race to create it reads the other's.
   */
  public static ApiToken readOrCreate(Path file) {
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return read(file);
    String token = ApiToken.random();
    try {
      Path folder = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(folder)) {
        if (posix(folder.getParent())) {
          Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
        } else {
          Files.createDirectories(folder);
        }
      }
      Path temp =
          posix(folder)
              ? Files.createTempFile(
                  folder, "http-token", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
              : Files.createTempFile(folder, "http-token", ".tmp");
      try {
        Files.writeString(temp, token + "\n", StandardCharsets.UTF_8);
        // a link is made only when nothing is there: written whole, and never over another JVM's
        // token
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException e) {
        return read(file);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot write the HTTP API's token to "
              + file
              + ": "
              + e.getMessage()
              + "; give one with clusterpool.http.token, CLUSTERPOOL_TOKEN or --token-file");
    }
    return ApiToken.of(token, "the file " + file);
  }

  /**
   * Refuses a file whose group or others may read or write it; on a file system without POSIX
   * modes, nothing to check.
   */
  public static void checkOwnerOnly(Path file) {
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null) return;
    Set<PosixFilePermission> mode;
    try {
      mode = view.readAttributes().permissions();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "no token file "
              + file
              + ": give a file that holds the token, readable by you only (chmod 600)");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the token file " + file + ": " + e.getMessage());
    }
    Set<PosixFilePermission> open =
        mode.stream()
            .filter(p -> !p.name().startsWith("OWNER_"))
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(PosixFilePermission.class)));
    if (!open.isEmpty()) {
      throw new IllegalArgumentException(
          "the token file "
              + file
              + " is open to others ("
              + PosixFilePermissions.toString(mode)
              + "): a token must be readable by its owner only; 'chmod 600 "
              + file
              + "', and make a new token if others may have read it");
    }
  }

  private static boolean posix(Path folder) {
    Path existing = folder;
    while (existing != null && !Files.exists(existing)) existing = existing.getParent();
    return existing != null
        && Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
  }
}
