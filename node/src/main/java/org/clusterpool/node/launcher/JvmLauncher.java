package org.clusterpool.node.launcher;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Starts JVMs on this machine from this program's own class path (the jar, or the built classes in
 * tests): never a fork of this JVM's state. Each child gets a bounded heap, a small footprint
 * (serial GC, few compiler threads) and its own log file.
 */
public final class JvmLauncher {
  private JvmLauncher() {}

  /**
   * Settings given to this JVM as system properties ({@code -Dpekko...}, {@code -Dclusterpool...})
   * are given to the children too, so that one {@code CLUSTERPOOL_JAVA_OPTS} tunes the whole local
   * cluster; but not this JVM's TLS files: a member's certificate is its own, given by whoever
   * starts it ({@code MemberTransport}).
   */
  private static boolean inherited(String property) {
    return (property.startsWith("pekko.") || property.startsWith("clusterpool."))
        && !property.startsWith("pekko.remote.artery.ssl.")
        && !property.equals("clusterpool.log.level")
        && !property.equals("clusterpool.log.stack")
        && !property.equals("clusterpool.stderr.tty");
  }

  public static JvmProcess start(JvmSpec spec) {
    return start(spec, command(spec));
  }

  /**
   * A JVM that outlives this program ({@code clusterpool cluster up}): in a session of its own
   * ({@code setsid}, when the system has it), so that neither Ctrl-C in the shell that started it
   * nor that terminal closing reaches it. It stops when asked (SIGTERM), never with its parent.
   */
  public static JvmProcess startDetached(JvmSpec spec) {
    List<String> command = new ArrayList<>();
    SETSID.ifPresent(setsid -> command.add(setsid.toString()));
    command.addAll(command(spec));
    return start(spec, command);
  }

  private static final Optional<Path> SETSID =
      Stream.of("/usr/bin/setsid", "/bin/setsid")
          .map(Path::of)
          .filter(Files::isExecutable)
          .findFirst();

  private static JvmProcess start(JvmSpec spec, List<String> command) {
    try {
      Files.createDirectories(spec.logFile().getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(spec.environment());
      return new JvmProcess(spec.name(), builder.start(), spec);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + spec.name() + ": " + e.getMessage(), e);
    }
  }

  static List<String> command(JvmSpec spec) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + spec.maxHeap());
    // Without it the initial heap is 1/64 of the machine's memory, capped at -Xmx: all of it
    // committed at start,
    // and an idle worker kept ~60 MB more resident. The heap grows as work needs it.
    command.add("-Xms16m");
    command.add("-Xss512k");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:CICompilerCount=2");
    command.add("-XX:ReservedCodeCacheSize=64m");
    command.add("-XX:MaxMetaspaceSize=192m");
    command.addAll(classDataSharing());
    command.add("-Dclusterpool.log.level=INFO");
    // the shipped logging, even when a test's class path also holds a logback-test.xml that would
    // capture it
    command.add("-Dlogback.configurationFile=logback.xml");
    command.add("-Dclusterpool.log.stack=full");
    for (String name : System.getProperties().stringPropertyNames()) {
      if (inherited(name) && !spec.properties().containsKey(name))
        command.add("-D" + name + "=" + System.getProperty(name));
    }
    for (Map.Entry<String, String> property : spec.properties().entrySet()) {
      command.add("-D" + property.getKey() + "=" + property.getValue());
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(spec.mainClass());
    command.addAll(spec.args());
    return command;
  }

  /**
   * The class-data archive (JDK 17 to 23) or ahead-of-time cache (JDK 24 and newer) this JVM
   * started with, if any: children on the same jar start with less work and less memory with it (a
   * JVM that cannot use it goes on without); and leave to read through {@code sun.misc.Unsafe},
   * which Pekko does, so that a newer JDK does not warn in each log.
   */
  private static List<String> classDataSharing() {
    List<String> out = new ArrayList<>();
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("-XX:SharedArchiveFile=")
          || argument.startsWith("-Xlog:cds")
          || argument.startsWith("-XX:AOTCache=")
          || argument.startsWith("-Xlog:aot")
          || argument.startsWith("--sun-misc-unsafe-memory-access=")) {
        out.add(argument);
      }
    }
    return out;
  }
}
