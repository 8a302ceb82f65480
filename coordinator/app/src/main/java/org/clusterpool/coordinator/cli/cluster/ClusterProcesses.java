package org.clusterpool.coordinator.cli.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clusterpool.coordinator.connect.ClusterState;

/**
 * This project's cluster JVMs found by their command line, not by the state file: the coordinator
 * JVM of {@code cluster up} is started with {@code coordinator ... --state FILE} (see {@link
 * Launch}), and its worker JVMs are its children. A state file that was lost, emptied or damaged
 * while the cluster ran would otherwise leave JVMs that no command can stop. Only this user's
 * processes count, and only those whose arguments name this very state file.
 */
final class ClusterProcesses {
  private ClusterProcesses() {}

  /** The coordinator JVMs of {@code cluster up} that keep {@code stateFile}, oldest first. */
  static List<ProcessHandle> coordinators(Path stateFile) {
    String wanted = stateFile.toAbsolutePath().normalize().toString();
    Optional<String> me = ProcessHandle.current().info().user();
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self)
        .filter(p -> me.isPresent() && p.info().user().equals(me))
        .filter(p -> keeps(p, wanted))
        .sorted(
            (a, b) -> Long.compare(MemberProcesses.startMillis(a), MemberProcesses.startMillis(b)))
        .toList();
  }

  /** Its arguments are {@code ... coordinator ... --state FILE ...}, FILE being this one. */
  private static boolean keeps(ProcessHandle process, String stateFile) {
    ProcessHandle.Info info = process.info();
    Optional<List<String>> arguments =
        procArguments(process.pid()).or(() -> info.arguments().map(Arrays::asList));
    if (arguments.isPresent()) {
      List<String> args = arguments.get();
      int state = args.indexOf("--state");
      return args.contains("coordinator")
          && state >= 0
          && state + 1 < args.size()
          && samePath(args.get(state + 1), stateFile);
    }
    // some systems give the whole command line only: the same words, separated by spaces
    return info.commandLine()
        .map(c -> c.contains(" coordinator ") && c.contains(" --state " + stateFile))
        .orElse(false);
  }

  /**
   * The process's whole command line, its words separated by spaces: from /proc on Linux, else as
   * the JDK gives it (which may be cut short); empty when the system shows none (another user's).
   */
  static String commandLine(ProcessHandle process) {
    ProcessHandle.Info info = process.info();
    return procArguments(process.pid())
        .map(args -> String.join(" ", args))
        .or(info::commandLine)
        .or(
            () ->
                info.command()
                    .map(c -> c + " " + String.join(" ", info.arguments().orElse(new String[0]))))
        .orElse("");
  }

  /**
   * Linux: the whole command line, from /proc. The JDK gives no arguments for a command line as
   * long as a JVM's class path, and cuts it at 4096 characters, before {@code --state}.
   */
  private static Optional<List<String>> procArguments(long pid) {
    Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
    try {
      String all = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
      if (all.isEmpty()) return Optional.empty();
      return Optional.of(Arrays.asList(all.split("\0")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // not Linux, or gone meanwhile
    }
  }

  private static boolean samePath(String given, String stateFile) {
    try {
      return Path.of(given).toAbsolutePath().normalize().toString().equals(stateFile);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The coordinators of {@code stateFile} and their descendants (the worker JVMs), as members that
   * {@link ClusterShutdown} stops, skipping the pids in {@code known}: found now, before the
   * coordinator goes, since its worker JVMs are no longer its children once it has.
   */
  static List<ClusterState.Member> strays(Path stateFile, List<ClusterState.Member> known) {
    Map<Long, ClusterState.Member> found = new LinkedHashMap<>();
    for (ProcessHandle coordinator : coordinators(stateFile)) {
      found.putIfAbsent(
          coordinator.pid(),
          member(coordinator, ClusterState.COORDINATOR, ClusterState.COORDINATOR));
      coordinator
          .descendants()
          .filter(ProcessHandle::isAlive)
          .forEach(p -> found.putIfAbsent(p.pid(), member(p, "worker JVM", ClusterState.WORKER)));
    }
    List<ClusterState.Member> strays = new ArrayList<>();
    for (ClusterState.Member m : found.values()) {
      if (known.stream().noneMatch(k -> k.pid() == m.pid())) strays.add(m);
    }
    return strays;
  }

  private static ClusterState.Member member(ProcessHandle process, String name, String role) {
    return new ClusterState.Member(
        name,
        role,
        0,
        process.pid(),
        MemberProcesses.startMillis(process),
        ClusterState.RUNNING,
        0,
        Optional.empty());
  }
}
