package org.clusterpool.node.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files that only their owner may read: a directory of mode 0700 and files of mode 0600, created
 * with that mode (never created open and narrowed afterwards, which would leave a moment where
 * another user can open them).
 */
public final class PrivateFiles {
  private PrivateFiles() {}

  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  /**
   * {@code dir} and its missing parents; {@code dir} itself of mode 0700, an existing one narrowed
   * to it.
   */
  public static Path directory(Path dir) {
    try {
      // parents it makes are private too (the state folder of cluster up); existing ones stay as
      // they are
      // a relative name ("tls") has no parent of its own: the working directory's, which exists
      Path parent = dir.toAbsolutePath().getParent();
      if (parent != null)
        Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(DIRECTORY));
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))
          throw new IOException(dir + " exists and is not a directory");
        Files.setPosixFilePermissions(dir, DIRECTORY);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot make the private directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** A new directory of mode 0700 in the system's temporary folder. */
  public static Path temporaryDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix, PosixFilePermissions.asFileAttribute(DIRECTORY));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot make a private temporary directory: " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code bytes} to {@code file} whole or not at all, in mode 0600: a temporary file of
   * that mode in the same directory, renamed over the old one.
   */
  public static void write(Path file, byte[] bytes) {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(temp);
      FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(FILE);
      try (SeekableByteChannel out =
          Files.newByteChannel(
              temp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), mode)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) out.write(buffer);
      }
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // the first error is the one to report
      }
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether other users (neither the owner nor the file's group) may read, write or enter {@code
   * path}, following links: a Kubernetes Secret is mounted as links to files that the pod's group
   * may read ({@code fsGroup}).
   */
  public static boolean openToOthers(Path path) throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
    return permissions.stream().anyMatch(OTHERS::contains);
  }

  /** Removes {@code dir} and all it holds; nothing when it is not there. */
  public static void deleteTree(Path dir) {
    // another deleter (a shutdown hook beside the end of the cluster) may take files under the
    // walk: then walk what is left again
    for (int attempt = 1; ; attempt++) {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path path : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        return;
      } catch (NoSuchFileException e) {
        return; // gone already
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof NoSuchFileException) || attempt == 3)
          throw new UncheckedIOException(
              "cannot remove " + dir + ": " + e.getMessage(), e.getCause());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage(), e);
      }
    }
  }
}
