package org.clusterpool.coordinator.cli;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.clusterpool.coordinator.cli.cluster.ClusterCommand;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.coordinator.input.CallParser;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.coordinator.input.InputError;
import org.clusterpool.coordinator.input.InputLimits;
import org.clusterpool.coordinator.input.InputParser;
import org.clusterpool.coordinator.members.PoolSession;
import org.clusterpool.coordinator.pool.CallTimeoutException;
import org.clusterpool.coordinator.pool.TaskFailedException;
import org.clusterpool.coordinator.pool.TaskGroupException;
import org.clusterpool.coordinator.pool.TaskUnavailableException;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.worker.JvmExit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code clusterpool}: the one entry point of the jar, for every role and every demo. */
@Command(
    name = "clusterpool",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT, // every command takes --help, as the usage errors say
    version = "clusterpool 0.1.0 (Apache Pekko 1.2.1)",
    sortOptions = false,
    description = {
      "Pool.map and asyncio.gather over worker actors, in this JVM or in separate ones.",
      "Start with: clusterpool demo pool"
    })
public final class Main {

  /**
   * The commands, in the order the help lists them. A command line that names one gets that one
   * only: picocli builds the model of every command it is given, and the whole tree (the cluster's,
   * the demos', the exercises' commands) took a tenth of a second of each run's start.
   */
  private static final List<Class<?>> COMMANDS =
      List.of(
          TasksCommand.class,
          MapCommand.class,
          StarmapCommand.class,
          ApplyCommand.class,
          GatherCommand.class,
          DemoCommand.class,
          BenchCommand.class,
          SoakCommand.class,
          ExerciseCommand.class,
          ClusterCommand.class,
          CoordinatorCommand.class,
          NodeCommand.class,
          CertificatesCommand.class,
          WarmUpCommand.class);

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Log at info level, with stack traces.")
  boolean verbose;

  public static void main(String[] args) {
    configureLogging(args);
    PrintWriter out = Terminal.stdout();
    PrintWriter err = new PrintWriter(System.err, true);
    // standard output (written through its file descriptor) carries what a command prints alone:
    // what tasks print with System.out (in this JVM when the pool is embedded) goes to standard
    // error, as a worker JVM's goes to its log, so it never mixes with the results
    System.setOut(System.err);
    TaskExitGuard.enable();
    // a member's Ctrl-C is how it leaves its cluster, and it says so itself
    String command = commandName(args);
    if (!"coordinator".equals(command) && !"node".equals(command)) Interruption.install();
    int code = run(args, out, err);
    out.flush();
    err.flush();
    // a task stuck for good keeps its pool from stopping, and the JVM's shutdown hooks would wait
    // for it (Pekko's, for its actor system, up to its phases' timeouts): the command has said all
    // it had to, so the JVM ends now
    if (PoolSession.poolLeftRunning())
      Runtime.getRuntime().halt(Interruption.ending() ? Interruption.status() : code);
    // a signal is ending the JVM already, with its own status: a command cut short ends with it
    if (!Interruption.ending()) JvmExit.exit(code);
  }

  /** Runs one command line and returns its exit code; what tests call. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new Main());
    addCommands(commandLine, args);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    // @FILE is the commands' own (one input or call a line, read as it streams); picocli's
    // expansion of it into
    // arguments takes time that grows with the square of the lines
    commandLine.setExpandAtFiles(false);
    // picocli takes -5..-1 or -2,3 for an unknown option (it spares only what parses as one
    // number): these commands read what they do not know as inputs, and refuse what still looks
    // like an option themselves (Tasks.refuseOptions)
    for (String name : List.of("map", "starmap", "apply")) {
      CommandLine sub = commandLine.getSubcommands().get(name);
      if (sub != null) sub.setUnmatchedOptionsArePositionalParams(true);
    }
    commandLine.setParameterExceptionHandler(
        (e, argv) -> {
          String command =
              e.getCommandLine().getCommandSpec().qualifiedName(); // clusterpool cluster up
          String message = Echo.line(e.getMessage()); // picocli quotes the argument as it was given
          err.println(
              command.equals("clusterpool")
                  ? "clusterpool: " + message
                  : command + ": " + message + " (see '" + command + " --help')");
          err.flush();
          return ExitCodes.USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (e, command, parseResult) -> {
          // a job that a signal cut short fails as its parts stop: not news, and said already
          if (Interruption.ending()) return ExitCodes.FAILED;
          err.println(describe(e));
          if (isVerbose(parseResult.originalArgs())) {
            if (e instanceof TaskFailedException failed) {
              for (String frame : failed.remoteStack()) err.println("    " + frame);
            } else if (!(e instanceof UsageError
                || e instanceof InputError
                || e instanceof CommandFailure
                || e instanceof RemoteJobException)) {
              e.printStackTrace(err);
            }
          }
          err.flush();
          return exitCode(e);
        });
    int code;
    try {
      code = commandLine.execute(args);
    } catch (Error e) {
      // picocli hands only exceptions to the handler above; an error (the JVM's, or one a task's
      // code threw where no input was to blame) still gets its one line, not a stack, and the
      // command ends: main() then exits, whatever threads are left
      if (!Interruption.ending())
        err.println(
            "clusterpool: "
                + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + Echo.line(e.getMessage()))
                + (e instanceof OutOfMemoryError
                    ? "; give the JVM more heap (CLUSTERPOOL_JAVA_OPTS=-Xmx2g), or fewer inputs at"
                        + " once"
                    : ""));
      err.flush();
      code = ExitCodes.FAILED;
    }
    // a PrintWriter says nothing when a write fails (a full disk, a pipe whose reader left): the
    // command would end with its results lost and exit code 0
    if (out.checkError() && code == ExitCodes.OK) {
      IOException why = out instanceof Terminal.Stdout stdout ? stdout.failure() : null;
      err.println(
          Echo.line(
              "clusterpool: standard output could not be written"
                  + (why == null || why.getMessage() == null ? "" : " (" + why.getMessage() + ")")
                  + ": what it shows is incomplete"));
      err.flush();
      code = ExitCodes.FAILED;
    }
    return code;
  }

  /**
   * The command the arguments name (the first word that is not an option: the top level's options
   * take no value), or every command when they name none or one that does not exist: the help lists
   * them all, and a mistyped name gets its suggestions.
   */
  static void addCommands(CommandLine commandLine, String[] args) {
    String first = commandName(args);
    List<Class<?>> named =
        COMMANDS.stream()
            .filter(command -> command.getAnnotation(Command.class).name().equals(first))
            .toList();
    for (Class<?> command : named.isEmpty() ? COMMANDS : named) commandLine.addSubcommand(command);
  }

  /** The first word that is not an option, or null. */
  private static String commandName(String[] args) {
    return Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse(null);
  }

  /** The one line printed for a failure: escaped and bounded, whatever the message holds. */
  private static String describe(Throwable e) {
    return Echo.line(describeRaw(e));
  }

  private static String describeRaw(Throwable e) {
    if (e instanceof RemoteJobException remote) return "clusterpool: " + remote.summary();
    if (e instanceof CommandFailure) return "clusterpool: " + e.getMessage();
    if (e instanceof UsageError || e instanceof InputError || e instanceof TaskFailedException)
      return "clusterpool: " + e.getMessage();
    if (e instanceof CallTimeoutException || e instanceof TaskGroupException)
      return "clusterpool: " + e.getMessage();
    if (e instanceof IllegalArgumentException || e instanceof TaskUnavailableException)
      return "clusterpool: " + e.getMessage();
    if (e instanceof CancellationException) return "clusterpool: cancelled: " + e.getMessage();
    return "clusterpool: " + e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static int exitCode(Throwable e) {
    if (e instanceof RemoteJobException remote)
      return remote.isUsageError() ? ExitCodes.USAGE : ExitCodes.FAILED;
    // a task that no node has, or that cannot leave this JVM, was refused before any work started:
    // a usage error
    return e instanceof UsageError
            || e instanceof InputError
            || e instanceof IllegalArgumentException
            || e instanceof TaskUnavailableException
        ? ExitCodes.USAGE
        : ExitCodes.FAILED;
  }

  private static boolean isVerbose(List<String> args) {
    return args.contains("-v") || args.contains("--verbose");
  }

  /**
   * Logback reads its level once, when first used: set it from the command line before anything
   * logs.
   */
  private static void configureLogging(String[] args) {
    if (isVerbose(Arrays.asList(args))) {
      System.setProperty("clusterpool.log.level", "INFO");
      System.setProperty("clusterpool.log.stack", "full");
    }
  }

  /** The input limits of {@code clusterpool.input}, read when first needed. */
  private static final class Limits {
    static final Config CONFIG = LayeredConfig.load("embedded");
    static final InputLimits INPUTS = InputLimits.fromConfig(CONFIG);
  }

  /**
   * The settings of a command that runs in this JVM: the embedded layer over the defaults, with
   * their overrides.
   */
  static Config config() {
    return Limits.CONFIG;
  }

  static CallParser callParser(TaskCatalog catalog) {
    return CallParser.forCommandLine(Limits.INPUTS, catalog);
  }

  static InputParser inputParser() {
    return InputParser.forCommandLine(Limits.INPUTS);
  }
}
