package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.clusterpool.coordinator.input.CallParser;
import org.clusterpool.coordinator.input.Durations;
import org.clusterpool.coordinator.input.InputError;
import org.clusterpool.coordinator.input.InputParser;
import org.clusterpool.coordinator.pool.Call;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskCatalog;
import org.clusterpool.node.task.UnknownTaskException;

/**
 * Reads the bodies of {@code POST /map} and {@code POST /gather} into jobs, with the command line's rules
 * and messages for inputs and calls ({@link InputParser}, {@link CallParser}). A mistake is an
 * {@link InputError}: one line that says what was wrong and what is accepted.
 */
final class JobRequests {
  static final Set<String> MAP_FIELDS = Set.of("task", "inputs", "chunksize", "ordered");
  static final Set<String> GATHER_FIELDS = Set.of("calls", "return_exceptions", "task_group", "timeout", "limit");

  private final InputParser inputParser;
  private final CallParser callParser;

  JobRequests(HttpSettings settings) {
    this.inputParser = InputParser.forApi(settings.inputLimits(), settings.maxResults());
    this.callParser = CallParser.forApi(settings.inputLimits(), settings.maxResults());
  }

  /**
   * {@code {"task": "square", "inputs": "1..100" | [1, 2, 3], "chunksize": 10, "ordered": true}}: inputs as a
   * string are read as the command line reads its INPUTS; as an array, each element is one value.
   */
  MapJob<?, ?> map(JsonNode body, String id, int workers, Supplier<ClusterPool> pools) {
    checkFields(body, MAP_FIELDS, "{\"task\": \"square\", \"inputs\": \"1..10\"}");
    JsonNode name = body.get("task");
    if (name == null || name.isNull()) throw new InputError("no task given: the request needs \"task\", a task of the catalog (GET /tasks)");
    if (!name.isTextual()) throw new InputError("\"task\" must be a task's name, like \"square\", got " + name);
    Task<?, ?> task;
    try {
      task = TaskCatalog.shared().get(name.asText());
    } catch (UnknownTaskException e) {
      throw new InputError(e.getMessage());
    }
    int chunksize = positiveInt(body, "chunksize", 0);
    boolean ordered = bool(body, "ordered", true);
    return mapJob(task, body.get("inputs"), id, chunksize, ordered, workers, pools);
  }

  private <I, O> MapJob<I, O> mapJob(
      Task<I, O> task, JsonNode inputs, String id, int chunksize, boolean ordered, int workers, Supplier<ClusterPool> pools) {
    List<I> parsed;
    if (inputs == null || inputs.isNull()) {
      parsed = inputParser.parse(task, List.of());
    } else if (inputs.isTextual()) {
      String text = inputs.asText().strip();
      parsed = inputParser.parse(task, text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+")));
    } else if (inputs.isArray()) {
      List<JsonNode> elements = new ArrayList<>(inputs.size());
      inputs.forEach(elements::add);
      parsed = inputParser.parseJson(task, elements);
    } else {
      throw new InputError("\"inputs\" must be a string of INPUTS like \"1..100\" or an array of values like [1, 2, 3], got "
          + abbreviate(inputs));
    }
    return new MapJob<>(id, task, parsed, chunksize, ordered, workers, pools);
  }

  /**
   * {@code {"calls": ["sleep:1", "fib:25"], "return_exceptions": false, "task_group": false, "timeout": "5s",
   * "limit": 10}}: each call is {@code TASK:INPUT}, as on the command line.
   */
  GatherJob gather(JsonNode body, String id, int workers, Supplier<ClusterPool> pools) {
    checkFields(body, GATHER_FIELDS, "{\"calls\": [\"sleep:1\", \"fib:25\"]}");
    JsonNode calls = body.get("calls");
    List<String> tokens = new ArrayList<>();
    if (calls != null && !calls.isNull()) {
      if (!calls.isArray()) throw new InputError("\"calls\" must be an array of TASK:INPUT, like [\"sleep:1\", \"fib:25\"], got " + abbreviate(calls));
      for (JsonNode call : calls) {
        if (!call.isTextual()) throw new InputError("each call must be a string TASK:INPUT, like \"sleep:1\", got " + abbreviate(call));
        tokens.add(call.asText());
      }
    }
    boolean returnExceptions = bool(body, "return_exceptions", false);
    boolean taskGroup = bool(body, "task_group", false);
    if (returnExceptions && taskGroup) {
      throw new InputError("return_exceptions and task_group do not go together: a task group fails on the first error");
    }
    Duration timeout = duration(body, "timeout");
    int limit = positiveInt(body, "limit", 0);
    List<Call<?>> parsed = callParser.parse(tokens);
    GatherJob.Mode mode = taskGroup ? GatherJob.Mode.TASK_GROUP
        : returnExceptions ? GatherJob.Mode.RETURN_EXCEPTIONS : GatherJob.Mode.GATHER;
    return new GatherJob(id, parsed, mode, timeout, limit, workers, pools);
  }

  private static void checkFields(JsonNode body, Set<String> accepted, String example) {
    if (body == null || !body.isObject()) throw new InputError("the request body must be a JSON object, like " + example);
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!accepted.contains(name)) {
        throw new InputError("unknown field '" + name + "': accepted " + String.join(", ", sorted(accepted)));
      }
    }
  }

  private static List<String> sorted(Set<String> names) {
    List<String> out = new ArrayList<>(names);
    out.sort(null);
    return out;
  }

  private static int positiveInt(JsonNode body, String field, int absent) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return absent;
    if (!value.canConvertToExactIntegral() || !value.canConvertToInt() || value.isTextual()) {
      throw new InputError("\"" + field + "\" must be a whole number, got " + abbreviate(value));
    }
    if (value.asInt() < 1) throw new InputError("\"" + field + "\" must be at least 1, got " + value.asInt());
    return value.asInt();
  }

  private static boolean bool(JsonNode body, String field, boolean absent) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return absent;
    if (!value.isBoolean()) throw new InputError("\"" + field + "\" must be true or false, got " + abbreviate(value));
    return value.asBoolean();
  }

  /** {@code "5s"}, {@code "500ms"}, or a number of seconds. */
  private static Duration duration(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) return null;
    if (value.isNumber()) return Durations.ofSeconds(value.asDouble(), value.asText());
    if (value.isTextual()) return Durations.parse(value.asText());
    throw new InputError("\"" + field + "\" must be a duration like \"5s\" or a number of seconds, got " + abbreviate(value));
  }

  private static String abbreviate(JsonNode value) {
    String text = value.toString();
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
