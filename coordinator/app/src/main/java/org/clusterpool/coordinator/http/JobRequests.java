package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.clusterpool.coordinator.input.CallParser;
import org.clusterpool.coordinator.input.Durations;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.coordinator.input.InputError;
import org.clusterpool.coordinator.input.InputParser;
import org.clusterpool.coordinator.input.InputTooLarge;
import org.clusterpool.coordinator.input.TaskNames;
import org.clusterpool.coordinator.pool.Call;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.ValueTypes;

/**
 * Reads the bodies of {@code POST /map} and {@code POST /gather} into jobs, with the command line's
 * rules and messages for inputs and calls ({@link InputParser}, {@link CallParser}). A mistake is
 * an {@link InputError}: one line that says what was wrong and what is accepted.
 *
 * <p>A body is read in two steps, so that the API counts a job's heap before it holds it: {@link
 * #size} reads what the job is and counts its inputs without parsing them (a range by its bounds),
 * and only once the registry has room does {@link #make} parse them. Both stream the body: its
 * inputs never become a tree of JSON nodes, only the values they are.
 *
 * <p>Over 400 lines: two steps for two kinds of body (map and gather), with a one-line error for
 * every field; split further, the rules of one body would be spread over several files.
 */
final class JobRequests {
  static final Set<String> MAP_FIELDS =
      Set.of("task", "fingerprint", "inputs", "chunksize", "ordered", "abandoned_after");
  static final Set<String> GATHER_FIELDS =
      Set.of("calls", "return_exceptions", "task_group", "timeout", "limit", "abandoned_after");
  private static final String MAP_EXAMPLE = "{\"task\": \"square\", \"inputs\": \"1..10\"}";
  private static final String GATHER_EXAMPLE = "{\"calls\": [\"sleep:1\", \"fib:25\"]}";

  enum Kind {
    MAP,
    GATHER
  }

  /**
   * What a request asks for, before its inputs are parsed: enough to count the heap its job will
   * take.
   */
  record Size(long count, long bytes, String what) {}

  private final HttpSettings settings;
  private final InputParser inputParser;
  private final CallParser callParser;

  /**
   * The tasks of this member: what it reads inputs for, and submits under its own version of each.
   */
  private final TaskCatalog catalog;

  JobRequests(HttpSettings settings, TaskCatalog catalog) {
    this.settings = settings;
    this.catalog = catalog;
    this.inputParser = InputParser.forApi(settings.inputLimits(), settings.maxResults());
    this.callParser = CallParser.forApi(settings.inputLimits(), settings.maxResults(), catalog);
  }

  /**
   * The job's size: its count of results (inputs, calls) and the heap they take, read without
   * parsing them.
   */
  Size size(Kind kind, byte[] body) {
    return kind == Kind.MAP ? mapSize(body) : gatherSize(body);
  }

  /** The job itself: every input (or call) parsed and checked. */
  ApiJob make(Kind kind, byte[] body, String id, int workers, Supplier<ClusterPool> pools) {
    return kind == Kind.MAP ? map(body, id, workers, pools) : gather(body, id, workers, pools);
  }

  // ---- map

  /** {@code task}, {@code chunksize}, {@code ordered}: the small fields of a map, read first. */
  private record MapFields(
      Task<?, ?> task, int chunksize, boolean ordered, Duration abandonedAfter) {}

  private MapFields mapFields(byte[] body) {
    Task<?, ?>[] task = {null};
    boolean[] named = {false};
    String[] fingerprint = {null};
    int[] chunksize = {0};
    boolean[] ordered = {true};
    Duration[] abandonedAfter = {null};
    fields(
        body,
        MAP_FIELDS,
        MAP_EXAMPLE,
        (name, p) -> {
          switch (name) {
            case "task" -> {
              JsonNode value = p.readValueAsTree();
              if (value == null || value.isNull()) return;
              if (!value.isTextual())
                throw new InputError(
                    "\"task\" must be a task's name, like \"square\", got " + abbreviate(value));
              named[0] = true;
              task[0] = TaskNames.get(catalog, value.asText());
            }
            case "fingerprint" -> {
              JsonNode value = p.readValueAsTree();
              if (value == null || value.isNull()) return;
              if (!value.isTextual()) {
                throw new InputError(
                    "\"fingerprint\" must be a task's version, like \"sha256:3f2a9c0b1d4e5f67\","
                        + " got "
                        + abbreviate(value));
              }
              fingerprint[0] = value.asText();
            }
            case "chunksize" -> chunksize[0] = positiveInt(p.readValueAsTree(), "chunksize", 0);
            case "ordered" -> ordered[0] = bool(p.readValueAsTree(), "ordered", true);
            case "abandoned_after" -> abandonedAfter[0] = abandonedAfter(p.readValueAsTree());
            default -> p.skipChildren(); // inputs: later
          }
        });
    if (!named[0])
      throw new InputError(
          "no task given: the request needs \"task\", a task of the catalog (GET /tasks)");
    if (fingerprint[0] != null) {
      String here = catalog.entry(task[0].name()).orElseThrow().fingerprint();
      if (!here.equals(fingerprint[0])) {
        throw ApiException.conflict(
            "task '"
                + task[0].name()
                + "' of this coordinator member is "
                + here
                + ", and the request's is "
                + Echo.quote(fingerprint[0])
                + ": another version; give the coordinator and the nodes the same jar as the"
                + " client");
      }
    }
    return new MapFields(task[0], chunksize[0], ordered[0], abandonedAfter[0]);
  }

  /**
   * {@code {"task": "square", "inputs": "1..100" | [1, 2, 3], "chunksize": 10, "ordered": true}}:
   * counts the inputs as the parser will make them (a range by its bounds, a comma list by its
   * parts) without making them.
   */
  private Size mapSize(byte[] body) {
    MapFields fields = mapFields(body);
    Task<?, ?> task = fields.task();
    long[] count = {0};
    boolean[] range = {false};
    inputs(
        body,
        new InputVisitor() {
          @Override
          public void tokens(String text) {
            List<String> tokens = splitTokens(text);
            range[0] = InputParser.isSingleRange(task, tokens);
            for (String token : tokens) count[0] += InputParser.count(task, token);
          }

          @Override
          public void element(JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING && task.inputType() != ValueTypes.TEXT) {
              count[0] += InputParser.count(task, p.getText());
            } else {
              p.skipChildren();
              count[0]++;
            }
          }
        });
    String what =
        "a map of "
            + count[0]
            + " results of '"
            + task.name()
            + "' ("
            + task.outputType().name()
            + ")";
    if (count[0] > settings.maxResults()) {
      throw new InputTooLarge(
          what
              + " is too large: the HTTP API keeps the results of at most "
              + settings.maxResults()
              + " inputs per job (clusterpool.http.max-results)");
    }
    long inputs = range[0] ? 0 : HeapSizes.guessInputs(task.inputType(), count[0], body.length);
    return new Size(count[0], inputs + count[0] * HeapSizes.guessResult(task.outputType()), what);
  }

  private MapJob<?, ?> map(byte[] body, String id, int workers, Supplier<ClusterPool> pools) {
    MapFields fields = mapFields(body);
    MapJob<?, ?> job =
        mapJob(fields.task(), body, id, fields.chunksize(), fields.ordered(), workers, pools);
    job.abandonedAfter(fields.abandonedAfter());
    return job;
  }

  private <I, O> MapJob<I, O> mapJob(
      Task<I, O> task,
      byte[] body,
      String id,
      int chunksize,
      boolean ordered,
      int workers,
      Supplier<ClusterPool> pools) {
    List<List<I>> parsed = new ArrayList<>(1);
    boolean[] range = {false};
    InputParser.JsonListing<I> listing = inputParser.jsonListing(task);
    boolean present =
        inputs(
            body,
            new InputVisitor() {
              @Override
              public void tokens(String text) {
                List<String> tokens = splitTokens(text);
                range[0] = InputParser.isSingleRange(task, tokens);
                parsed.add(inputParser.parse(task, tokens));
              }

              @Override
              public void element(JsonParser p) throws IOException {
                // a string stays a string, a number or a record becomes its own small tree: never
                // the whole array
                listing.add(
                    p.currentToken() == JsonToken.VALUE_STRING
                        ? TextNode.valueOf(p.getText())
                        : p.readValueAsTree());
              }
            });
    List<I> inputs =
        !parsed.isEmpty()
            ? parsed.get(0)
            : present ? listing.inputs() : inputParser.parse(task, List.of());
    long inputBytes =
        range[0] ? 0 : HeapSizes.guessInputs(task.inputType(), inputs.size(), body.length);
    return new MapJob<>(id, task, inputs, inputBytes, chunksize, ordered, workers, pools);
  }

  /**
   * What to do with {@code inputs}: a string of command-line tokens, or the elements of an array
   * one by one.
   */
  private interface InputVisitor {
    void tokens(String text);

    /** The parser is on the element's first token; the visitor reads or skips the element whole. */
    void element(JsonParser p) throws IOException;
  }

  /** Streams the {@code inputs} field to the visitor; whether the field is there (and not null). */
  private static boolean inputs(byte[] body, InputVisitor visitor) {
    boolean[] present = {false};
    fields(
        body,
        MAP_FIELDS,
        MAP_EXAMPLE,
        (name, p) -> {
          if (!name.equals("inputs")) {
            p.skipChildren();
            return;
          }
          JsonToken token = p.currentToken();
          if (token == JsonToken.VALUE_NULL) return;
          if (token == JsonToken.VALUE_STRING) {
            present[0] = true;
            visitor.tokens(p.getText());
          } else if (token == JsonToken.START_ARRAY) {
            present[0] = true;
            while (p.nextToken() != JsonToken.END_ARRAY) visitor.element(p);
          } else {
            throw new InputError(
                "\"inputs\" must be a string of INPUTS like \"1..100\" or an array of values like"
                    + " [1, 2, 3], got "
                    + abbreviate(p.readValueAsTree()));
          }
        });
    return present[0];
  }

  private static List<String> splitTokens(String text) {
    String stripped = text.strip();
    return stripped.isEmpty() ? List.of() : Arrays.asList(stripped.split("\\s+"));
  }

  // ---- gather

  /** The fields of a gather, its calls as the strings given. */
  private record GatherFields(
      List<String> calls,
      GatherJob.Mode mode,
      Duration timeout,
      int limit,
      Duration abandonedAfter) {}

  /**
   * {@code {"calls": ["sleep:1", "fib:25"], "return_exceptions": false, "task_group": false,
   * "timeout": "5s", "limit": 10}}: each call is {@code TASK:INPUT}, as on the command line.
   */
  private GatherFields gatherFields(byte[] body) {
    List<String> calls = new ArrayList<>();
    boolean[] returnExceptions = {false};
    boolean[] taskGroup = {false};
    Duration[] timeout = {null};
    int[] limit = {0};
    Duration[] abandonedAfter = {null};
    fields(
        body,
        GATHER_FIELDS,
        GATHER_EXAMPLE,
        (name, p) -> {
          switch (name) {
            case "calls" -> {
              JsonToken token = p.currentToken();
              if (token == JsonToken.VALUE_NULL) return;
              if (token != JsonToken.START_ARRAY) {
                throw new InputError(
                    "\"calls\" must be an array of TASK:INPUT, like [\"sleep:1\", \"fib:25\"], got "
                        + abbreviate(p.readValueAsTree()));
              }
              calls.clear();
              while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.VALUE_STRING) {
                  throw new InputError(
                      "each call must be a string TASK:INPUT, like \"sleep:1\", got "
                          + abbreviate(p.readValueAsTree()));
                }
                if (calls.size() >= settings.maxResults()) {
                  throw new InputTooLarge(
                      "too many calls: the HTTP API keeps the results of at most "
                          + settings.maxResults()
                          + " calls per job (clusterpool.http.max-results)");
                }
                calls.add(p.getText());
              }
            }
            case "return_exceptions" ->
                returnExceptions[0] = bool(p.readValueAsTree(), "return_exceptions", false);
            case "task_group" -> taskGroup[0] = bool(p.readValueAsTree(), "task_group", false);
            case "timeout" -> timeout[0] = duration(p.readValueAsTree(), "timeout");
            case "limit" -> limit[0] = positiveInt(p.readValueAsTree(), "limit", 0);
            case "abandoned_after" -> abandonedAfter[0] = abandonedAfter(p.readValueAsTree());
            default -> p.skipChildren();
          }
        });
    if (returnExceptions[0] && taskGroup[0]) {
      throw new InputError(
          "return_exceptions and task_group do not go together: a task group fails on the first"
              + " error");
    }
    GatherJob.Mode mode =
        taskGroup[0]
            ? GatherJob.Mode.TASK_GROUP
            : returnExceptions[0] ? GatherJob.Mode.RETURN_EXCEPTIONS : GatherJob.Mode.GATHER;
    return new GatherFields(calls, mode, timeout[0], limit[0], abandonedAfter[0]);
  }

  private Size gatherSize(byte[] body) {
    GatherFields fields = gatherFields(body);
    long count = fields.calls().size();
    long bytes = HeapSizes.guessCalls(count, body.length) + count * HeapSizes.guessGatherEntry();
    return new Size(count, bytes, "a gather of " + count + " calls");
  }

  private GatherJob gather(byte[] body, String id, int workers, Supplier<ClusterPool> pools) {
    GatherFields fields = gatherFields(body);
    List<Call<?>> parsed = callParser.parse(fields.calls());
    long callBytes = HeapSizes.guessCalls(parsed.size(), body.length);
    GatherJob job =
        new GatherJob(
            id, parsed, callBytes, fields.mode(), fields.timeout(), fields.limit(), workers, pools);
    job.abandonedAfter(fields.abandonedAfter());
    return job;
  }

  // ---- the body

  private interface FieldReader {
    /** The parser is on the field's value; the reader reads or skips it whole. */
    void read(String name, JsonParser p) throws IOException;
  }

  /**
   * Streams the top-level object's fields to {@code reader}, refusing a body that is not a JSON
   * object and a field that is not {@code accepted}.
   */
  private static void fields(
      byte[] body, Set<String> accepted, String example, FieldReader reader) {
    try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
      // a key given twice would be read as its last value, silently: an input's record included
      p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InputError("the request body must be a JSON object, like " + example);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        if (!accepted.contains(name)) {
          throw new InputError(
              "unknown field "
                  + Echo.quote(name)
                  + ": accepted "
                  + String.join(", ", sorted(accepted)));
        }
        p.nextToken();
        reader.read(name, p);
      }
      if (p.nextToken() != null)
        throw new InputError("the request body is not JSON: more follows its object");
    } catch (JsonProcessingException e) {
      throw new InputError(
          "the request body is not JSON: " + Echo.line(firstLine(e.getOriginalMessage())));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the body is in memory: only a bug gets here
    }
  }

  private static String firstLine(String text) {
    if (text == null) return "";
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  private static List<String> sorted(Set<String> names) {
    List<String> out = new ArrayList<>(names);
    out.sort(null);
    return out;
  }

  private static int positiveInt(JsonNode value, String field, int absent) {
    if (value == null || value.isNull()) return absent;
    if (!value.canConvertToExactIntegral() || value.isTextual()) {
      throw new InputError("\"" + field + "\" must be a whole number, got " + abbreviate(value));
    }
    if (!value.canConvertToInt() && value.asDouble() > 0) {
      throw new InputError(
          "\""
              + field
              + "\" is too large: at most "
              + Integer.MAX_VALUE
              + ", got "
              + abbreviate(value));
    }
    // a negative past an int too: asInt() would keep its low 32 bits, a positive number
    if (!value.canConvertToInt() || value.asInt() < 1)
      throw new InputError("\"" + field + "\" must be at least 1, got " + abbreviate(value));
    return value.asInt();
  }

  private static boolean bool(JsonNode value, String field, boolean absent) {
    if (value == null || value.isNull()) return absent;
    if (!value.isBoolean())
      throw new InputError("\"" + field + "\" must be true or false, got " + abbreviate(value));
    return value.asBoolean();
  }

  /**
   * {@code "abandoned_after"}: a client that follows its job's stream (the CLI's {@code --connect})
   * asks that the job be cancelled once no stream of it has been open this long: a client killed
   * mid-job otherwise left its job running to its end for nobody.
   */
  private static Duration abandonedAfter(JsonNode value) {
    Duration after = duration(value, "abandoned_after");
    if (after != null && after.compareTo(Duration.ofSeconds(1)) < 0)
      throw new InputError(
          "\"abandoned_after\" must be 1 s or more, like \"30s\", got " + abbreviate(value));
    return after;
  }

  /** {@code "5s"}, {@code "500ms"}, or a number of seconds. */
  private static Duration duration(JsonNode value, String field) {
    if (value == null || value.isNull()) return null;
    if (value.isNumber()) return Durations.ofSeconds(value.asDouble(), value.asText());
    if (value.isTextual()) return Durations.parse(value.asText());
    throw new InputError(
        "\""
            + field
            + "\" must be a duration like \"5s\" or a number of seconds, got "
            + abbreviate(value));
  }

  /** A JSON value as the message shows it: its JSON, escaped and cut. */
  private static String abbreviate(JsonNode value) {
    return Echo.cut(String.valueOf(value));
  }
}
