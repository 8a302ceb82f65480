package org.clusterpool.coordinator.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.exercises.Exercise;
import org.clusterpool.exercises.ExerciseRunner;
import org.clusterpool.exercises.Exercises;
import org.clusterpool.exercises.RunOptions;
import org.clusterpool.exercises.bank.BankParameters;
import org.clusterpool.exercises.buffer.BufferParameters;
import org.clusterpool.exercises.counter.CounterParameters;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.philosophers.PhilosophersParameters;
import org.clusterpool.exercises.report.Report;
import org.clusterpool.exercises.student.SolutionLoadException;
import org.clusterpool.exercises.student.StudentClasses;
import org.clusterpool.exercises.student.StudentOutput;
import org.clusterpool.exercises.wordcount.WordCountParameters;
import org.clusterpool.node.worker.JvmExit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code clusterpool exercise}: one problem solved with locks and with messages, every solution
 * checked and timed side by side, a student's beside the references. Exit codes: 0 when every
 * solution given with {@code --impl} finished correct (the references' deadlocks and lost updates
 * are the lesson, not a failure), 1 when one of them is wrong, deadlocked, timed out or threw (so a
 * teacher can grade with the exit code), 2 for a usage error, a missing class included.
 *
 * <p>Over 400 lines: its options, the listing, and the checked run of every solution with its
 * table, which a teacher reads as one command; the measuring is the exercises' harness's.
 */
@Command(
    name = "exercise",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Locks vs message passing: the same problem solved both ways, checked and timed side by"
          + " side.",
      "Without NAME, lists the exercises. Check your own solution with --impl CLASS --classpath"
          + " PATH."
    },
    subcommands = {
      ExerciseCommand.ListExercises.class,
      ExerciseCommand.CounterCommand.class,
      ExerciseCommand.BankCommand.class,
      ExerciseCommand.BufferCommand.class,
      ExerciseCommand.PhilosophersCommand.class,
      ExerciseCommand.WordCountCommand.class
    })
final class ExerciseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Only reached for a name that is not an exercise: a known name runs its subcommand. */
  @Parameters(
      arity = "0..1",
      paramLabel = "NAME",
      description = "An exercise (see 'clusterpool exercise list').")
  String name;

  @Override
  public Integer call() {
    if (name != null) {
      throw new UsageError(
          "unknown exercise "
              + Echo.quote(name)
              + ": accepted: list, "
              + String.join(", ", Exercises.names()));
    }
    return list(spec.commandLine().getOut());
  }

  static int list(PrintWriter out) {
    for (Exercise<?, ?> exercise : Exercises.all()) {
      out.printf("%-14s %s%n", exercise.name(), exercise.summary());
      out.printf("%-14s implement %s%n", "", exercise.solutionType().getName());
      out.printf(
          "%-14s references: %s%n",
          "", String.join(", ", exercise.references().stream().map(Implementation::name).toList()));
    }
    out.flush();
    return ExitCodes.OK;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the exercises, their interfaces and reference solutions.")
  static final class ListExercises implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return list(spec.commandLine().getOut());
    }
  }

  /** What every exercise takes: the student's solutions, the references to run, the limits. */
  static final class Common {
    @Option(
        names = "--impl",
        paramLabel = "CLASS",
        description =
            "Your solution: a public class with a public no-argument constructor that implements"
                + " the exercise's interface; checked and timed beside the references. Repeat for"
                + " several.")
    List<String> implementations = new ArrayList<>();

    @Option(
        names = "--classpath",
        paramLabel = "PATH",
        description =
            "Where the --impl classes are: directories or jars, separated by the path separator"
                + " (':' on Linux and macOS, ';' on Windows).")
    String classpath;

    @Option(
        names = "--only",
        paramLabel = "NAME",
        split = ",",
        description = "Run only these references, comma-separated.")
    List<String> only;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        description =
            "Stop a run that has not finished after this long and report it as timed out (default:"
                + " ${DEFAULT-VALUE}).")
    int timeoutSeconds = (int) RunOptions.DEFAULT_TIME_LIMIT.toSeconds();

    @Option(
        names = "--no-warmup",
        description =
            "Measure cold: skip the smaller unmeasured run of every implementation first.")
    boolean noWarmUp;

    @Option(
        names = "--runs",
        paramLabel = "N",
        description =
            "Most measured runs of a fast implementation, the median shown (default:"
                + " ${DEFAULT-VALUE}; 1 for a quick look).")
    int runs = RunOptions.DEFAULT_MAX_RUNS;

    <S, P> int run(CommandSpec spec, Exercise<S, P> exercise, P parameters) {
      between("--timeout", timeoutSeconds, 1, 3600);
      between("--runs", runs, 1, 50);
      if (classpath != null && implementations.isEmpty()) {
        throw new UsageError(
            "--classpath is for the classes given with --impl: give the class of your solution"
                + " too");
      }
      List<Implementation<S>> chosen = references(exercise);
      refuseRepeated(implementations);
      Duration limit = Duration.ofSeconds(timeoutSeconds);
      PrintWriter err = spec.commandLine().getErr();
      // the solutions run in this JVM: what they print is theirs, escaped and capped; their
      // System.exit is refused with exit 1, never taken for the command's own end
      StudentOutput printed = new StudentOutput(err);
      PrintStream guarded = new PrintStream(printed, true, StandardCharsets.UTF_8);
      PrintStream out = System.out;
      PrintStream errStream = System.err;
      Thread exitGuard = new Thread(() -> refuseExit(err), "clusterpool-exercise-exit-guard");
      Runtime.getRuntime().addShutdownHook(exitGuard);
      System.setOut(guarded);
      System.setErr(guarded);
      try (StudentClasses students = StudentClasses.on(entries())) {
        for (String className : implementations) {
          Implementation<S> student = students.load(className, exercise, limit);
          refuseSameName(student, chosen);
          chosen.add(student);
        }
        Report report =
            ExerciseRunner.run(
                exercise,
                parameters,
                chosen,
                new RunOptions(limit, !noWarmUp, runs, RunOptions.DEFAULT_MEASURE_FOR),
                progress(spec, exercise));
        clearProgress(spec);
        System.setOut(out);
        System.setErr(errStream);
        printed.finish();
        report.print(spec.commandLine().getOut());
        return report.studentsPassed() ? ExitCodes.OK : ExitCodes.FAILED;
      } catch (SolutionLoadException e) {
        throw new UsageError(e.getMessage());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        System.setOut(out);
        System.setErr(errStream);
        printed.finish();
        try {
          Runtime.getRuntime().removeShutdownHook(exitGuard);
        } catch (IllegalStateException e) {
          // the JVM is exiting already: the guard is running, or has run
        }
      }
    }

    /**
     * The shutdown hook of a run: when code other than clusterpool's called {@code System.exit} (a
     * solution's, most likely), says who in one line and ends the JVM with exit 1, so that a
     * solution that ends the JVM with 0 never passes for correct. A signal (Ctrl-C) is left alone.
     */
    private static void refuseExit(PrintWriter err) {
      Optional<String> caller = JvmExit.calledByOthers();
      if (caller.isEmpty()) return;
      Optional<String> student = studentFrame();
      err.println(
          Echo.line(
              "clusterpool: exercise stopped: "
                  + student
                      .map(frame -> "your class called System.exit from " + frame)
                      .orElse("System.exit was called from " + caller.get() + " during the run")
                  + "; a solution must not end the JVM: it counts as failed"));
      err.flush();
      Runtime.getRuntime().halt(ExitCodes.FAILED);
    }

    /** The student's frame ({@code com.example.Exits.increment(Exits.java:5)}) that is exiting. */
    private static Optional<String> studentFrame() {
      for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
        boolean exiting = false;
        for (StackTraceElement frame : stack) {
          if (frame.getClassName().equals("java.lang.Shutdown")
              && frame.getMethodName().equals("exit")) exiting = true;
          if (exiting && StudentClasses.LOADER_NAME.equals(frame.getClassLoaderName())) {
            return Optional.of(JvmExit.describe(frame));
          }
        }
      }
      return Optional.empty();
    }

    /** The same class twice would make two rows of one name, which no finding can tell apart. */
    private static void refuseRepeated(List<String> classNames) {
      List<String> seen = new ArrayList<>();
      for (String className : classNames) {
        if (seen.contains(className)) {
          throw new UsageError(
              "--impl " + Echo.quote(className) + " is given twice: give each class once");
        }
        seen.add(className);
      }
    }

    /**
     * Two classes of one simple name (a.Counter, b.Counter), or a class named like a reference,
     * would make two rows of one name.
     */
    private static <S> void refuseSameName(
        Implementation<S> student, List<Implementation<S>> chosen) {
      for (Implementation<S> other : chosen) {
        if (other.name().equals(student.name())) {
          throw new UsageError(
              "--impl "
                  + Echo.quote(student.summary().replaceFirst("^your solution, ", ""))
                  + ": its row would be named "
                  + Echo.quote(student.name())
                  + " like "
                  + (other.reference()
                      ? "the reference of that name"
                      : Echo.quote(other.summary().replaceFirst("^your solution, ", "")))
                  + ": rename the class");
        }
      }
    }

    private <S> List<Implementation<S>> references(Exercise<S, ?> exercise) {
      List<Implementation<S>> all = exercise.references();
      if (only == null) return new ArrayList<>(all);
      List<String> names = all.stream().map(Implementation::name).toList();
      List<Implementation<S>> chosen = new ArrayList<>();
      for (String wanted : only) {
        int index = names.indexOf(wanted.trim());
        if (index < 0) {
          throw new UsageError(
              "unknown reference "
                  + Echo.quote(wanted)
                  + " for "
                  + exercise.name()
                  + ": accepted: "
                  + String.join(", ", names));
        }
        chosen.add(all.get(index));
      }
      return chosen;
    }

    private List<Path> entries() {
      List<Path> entries = new ArrayList<>();
      if (classpath == null) return entries;
      for (String entry : classpath.split(Pattern.quote(File.pathSeparator))) {
        if (!entry.isBlank()) entries.add(Path.of(entry));
      }
      return entries;
    }

    /**
     * On a terminal, one status line that says which implementation runs now; elsewhere, nothing.
     */
    private static Consumer<String> progress(CommandSpec spec, Exercise<?, ?> exercise) {
      if (!Terminal.stderrIsTerminal()) return what -> {};
      PrintWriter err = spec.commandLine().getErr();
      return what -> {
        err.print("\r" + " ".repeat(100) + "\r" + exercise.name() + ": " + what + "...");
        err.flush();
      };
    }

    private static void clearProgress(CommandSpec spec) {
      if (!Terminal.stderrIsTerminal()) return;
      PrintWriter err = spec.commandLine().getErr();
      err.print("\r" + " ".repeat(100) + "\r");
      err.flush();
    }
  }

  static int between(String option, int value, int min, int max) {
    if (value < min || value > max)
      throw new UsageError(option + " must be between " + min + " and " + max + ", got " + value);
    return value;
  }

  static long between(String option, long value, long min, long max) {
    if (value < min || value > max)
      throw new UsageError(option + " must be between " + min + " and " + max + ", got " + value);
    return value;
  }

  @Command(
      name = "counter",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "N threads increment one counter; the count must come out exact.",
        "References: unsynchronized (loses updates), synchronized, reentrant-lock, atomic-long,"
            + " long-adder,",
        "counter-actor, per-worker-sum. Implement org.clusterpool.exercises.counter.Counter."
      })
  static final class CounterCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--threads",
        paramLabel = "N",
        description = "Worker threads incrementing at once (default: ${DEFAULT-VALUE}).")
    int threads = CounterParameters.defaults().threads();

    @Option(
        names = "--ops",
        paramLabel = "N",
        description = "Increments in all (default: ${DEFAULT-VALUE}).")
    long ops = CounterParameters.defaults().increments();

    @Mixin Common common = new Common();

    @Override
    public Integer call() {
      between("--threads", threads, 1, CounterParameters.MAX_THREADS);
      between("--ops", ops, 1, CounterParameters.MAX_INCREMENTS);
      return common.run(spec, Exercises.COUNTER, new CounterParameters(threads, ops));
    }
  }

  @Command(
      name = "bank",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Concurrent transfers between accounts: the total must not change, no balance may go"
            + " negative.",
        "References: global-lock, naive-order (deadlocks), global-order, try-lock, account-actors,",
        "account-actors-held, sharded. Implement org.clusterpool.exercises.bank.Bank."
      })
  static final class BankCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--threads",
        paramLabel = "N",
        description = "Client threads making transfers at once (default: ${DEFAULT-VALUE}).")
    int threads = BankParameters.defaults().threads();

    @Option(
        names = "--accounts",
        paramLabel = "N",
        description = "Accounts in the bank (default: ${DEFAULT-VALUE}).")
    int accounts = BankParameters.defaults().accounts();

    @Option(
        names = "--transfers",
        paramLabel = "N",
        description = "Random transfers in all (default: ${DEFAULT-VALUE}).")
    long transfers = BankParameters.defaults().transfers();

    @Option(
        names = "--seed",
        paramLabel = "N",
        description = "Seed of the random transfers (default: ${DEFAULT-VALUE}).")
    long seed = BankParameters.defaults().seed();

    @Mixin Common common = new Common();

    @Override
    public Integer call() {
      between("--threads", threads, 1, BankParameters.MAX_THREADS);
      between("--accounts", accounts, 2, BankParameters.MAX_ACCOUNTS);
      between("--transfers", transfers, 1, BankParameters.MAX_TRANSFERS);
      return common.run(
          spec, Exercises.BANK, new BankParameters(threads, accounts, transfers, seed));
    }
  }

  @Command(
      name = "buffer",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Producers and consumers through a bounded buffer: every item taken once, the capacity"
            + " never exceeded.",
        "References: wait-notify, array-blocking-queue, buffer-actor (backpressure),"
            + " clusterpool-queue.",
        "Implement org.clusterpool.exercises.buffer.BoundedBuffer."
      })
  static final class BufferCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--producers",
        paramLabel = "N",
        description = "Producer threads (default: ${DEFAULT-VALUE}).")
    int producers = BufferParameters.defaults().producers();

    @Option(
        names = "--consumers",
        paramLabel = "N",
        description = "Consumer threads (default: ${DEFAULT-VALUE}).")
    int consumers = BufferParameters.defaults().consumers();

    @Option(
        names = "--items",
        paramLabel = "N",
        description = "Items put and taken in all (default: ${DEFAULT-VALUE}).")
    long items = BufferParameters.defaults().items();

    @Option(
        names = "--capacity",
        paramLabel = "N",
        description = "Most items the buffer may hold (default: ${DEFAULT-VALUE}).")
    int capacity = BufferParameters.defaults().capacity();

    @Mixin Common common = new Common();

    @Override
    public Integer call() {
      between("--producers", producers, 1, BufferParameters.MAX_THREADS);
      between("--consumers", consumers, 1, BufferParameters.MAX_THREADS);
      between("--items", items, 1, BufferParameters.MAX_ITEMS);
      between("--capacity", capacity, 1, BufferParameters.MAX_CAPACITY);
      return common.run(
          spec, Exercises.BUFFER, new BufferParameters(producers, consumers, items, capacity));
    }
  }

  @Command(
      name = "philosophers",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Dining philosophers: no two neighbours eat at once, everybody eats.",
        "References: naive-locks (deadlocks), ordered-forks, waiter-actor, fork-actors.",
        "Implement org.clusterpool.exercises.philosophers.DiningTable."
      })
  static final class PhilosophersCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--philosophers",
        paramLabel = "N",
        description = "Philosophers and forks (default: ${DEFAULT-VALUE}).")
    int philosophers = PhilosophersParameters.defaults().philosophers();

    @Option(
        names = "--meals",
        paramLabel = "N",
        description = "Meals each philosopher eats (default: ${DEFAULT-VALUE}).")
    long meals = PhilosophersParameters.defaults().meals();

    @Option(
        names = "--work",
        paramLabel = "STEPS",
        description =
            "Length of a meal, and most thinking between two, in steps of busy work (default:"
                + " ${DEFAULT-VALUE}).")
    int work = PhilosophersParameters.defaults().work();

    @Mixin Common common = new Common();

    @Override
    public Integer call() {
      between("--philosophers", philosophers, 2, PhilosophersParameters.MAX_PHILOSOPHERS);
      between("--meals", meals, 1, PhilosophersParameters.MAX_MEALS);
      between("--work", work, 0, PhilosophersParameters.MAX_WORK);
      return common.run(
          spec, Exercises.PHILOSOPHERS, new PhilosophersParameters(philosophers, meals, work));
    }
  }

  @Command(
      name = "wordcount",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Word frequencies of a generated text: every count exact.",
        "References: shared-map (one ConcurrentHashMap), shared-map-get-put (loses counts),"
            + " pool-map (a pool map",
        "over chunks and a merge of per-worker maps). Implement"
            + " org.clusterpool.exercises.wordcount.WordCounter."
      })
  static final class WordCountCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--threads",
        paramLabel = "N",
        description = "Threads counting chunks at once (default: ${DEFAULT-VALUE}).")
    int threads = WordCountParameters.defaults().threads();

    @Option(
        names = "--words",
        paramLabel = "N",
        description = "Words in the generated text (default: ${DEFAULT-VALUE}).")
    long words = WordCountParameters.defaults().words();

    @Option(
        names = "--vocabulary",
        paramLabel = "N",
        description = "Distinct words the text draws from (default: ${DEFAULT-VALUE}).")
    int vocabulary = WordCountParameters.defaults().vocabulary();

    @Option(
        names = "--seed",
        paramLabel = "N",
        description = "Seed of the generated text (default: ${DEFAULT-VALUE}).")
    long seed = WordCountParameters.defaults().seed();

    @Mixin Common common = new Common();

    @Override
    public Integer call() {
      between("--threads", threads, 1, WordCountParameters.MAX_THREADS);
      between("--words", words, 1, WordCountParameters.MAX_WORDS);
      between("--vocabulary", vocabulary, 1, WordCountParameters.MAX_VOCABULARY);
      return common.run(
          spec, Exercises.WORDCOUNT, new WordCountParameters(threads, words, vocabulary, seed));
    }
  }
}
