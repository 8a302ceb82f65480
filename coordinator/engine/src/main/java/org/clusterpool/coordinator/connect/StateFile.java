package org.clusterpool.coordinator.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Where {@code cluster up} leaves its {@link ClusterState}: {@code .clusterpool/cluster.json} in
 * the project's home ({@code clusterpool.home}, set by {@code bin/clusterpool}), else in the user's
 * home. The coordinator JVM writes it (it supervises the worker JVMs, so it knows their pids); the
 * commands read it, and {@code down} removes it. It holds the cluster's HTTP API token: rw-------
 * in a folder rwx------.
 */
public final class StateFile {
  private StateFile() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  public static Path location() {
    String home = System.getProperty("clusterpool.home");
    Path base =
        home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"));
    return base.resolve(".clusterpool").resolve("cluster.json");
  }

  /** The state, if a cluster was started here; a file that cannot be read is a clear error. */
  public static Optional<ClusterState> read() {
    Path file = location();
    try {
      return Optional.of(ClusterState.fromJson(MAPPER.readTree(Files.readString(file))));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      // Jackson's message goes on over lines with where it stopped: its first line says what
      String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
      throw new CommandFailure(
          "cannot read the cluster state "
              + file
              + ": "
              + (why.length() <= 200 ? why : why.substring(0, 200) + "...")
              + "; if no cluster runs, remove the file ('cluster down' stops one that does)");
    }
  }

  /**
   * Writes the state whole or not at all (a temporary file renamed over the old one): a command
   * that reads it meanwhile never sees half of it.
   */
  public static void write(Path file, ClusterState state) {
    Path temp = null;
    try {
      boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
      if (posix) {
        Files.createDirectories(
            file.getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // clusterpool's own folder, which another part may have made first: narrowed to its owner
        // whoever made it
        Files.setPosixFilePermissions(
            file.getParent(), PosixFilePermissions.fromString("rwx------"));
        // it holds the cluster's token: readable by its owner only, from its first byte on
        temp =
            Files.createTempFile(
                file.getParent(),
                "cluster",
                ".json.tmp",
                PosixFilePermissions.asFileAttribute(TokenFiles.OWNER_ONLY));
      } else {
        Files.createDirectories(file.getParent());
        temp = Files.createTempFile(file.getParent(), "cluster", ".json.tmp");
      }
      Files.writeString(
          temp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(state.toJson()) + "\n");
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      if (temp != null) temp.toFile().delete();
      throw new CommandFailure("cannot write the cluster state " + file + ": " + e.getMessage());
    }
  }

  public static void delete() {
    try {
      Files.deleteIfExists(location());
    } catch (IOException e) {
      throw new CommandFailure(
          "cannot remove the cluster state " + location() + ": " + e.getMessage());
    }
  }
}
