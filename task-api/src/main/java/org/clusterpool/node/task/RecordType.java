package org.clusterpool.node.task;

import static org.clusterpool.node.task.ValueTypes.BOOLEAN;
import static org.clusterpool.node.task.ValueTypes.JSON;
import static org.clusterpool.node.task.ValueTypes.mismatch;
import static org.clusterpool.node.task.ValueTypes.parseDouble;
import static org.clusterpool.node.task.ValueTypes.parseLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clusterpool.node.wire.Values;

/**
 * The value type of a record ({@link ValueTypes#record}): its components read from the command line
 * separated by commas, or from a JSON object, and carried between JVMs as JSON. Its own file: the
 * other value types are one scalar each, this one walks the record's components.
 */
final class RecordType<R extends Record> implements ValueType<R> {
  private final Class<R> type;
  private final RecordComponent[] components;
  private final Constructor<R> constructor;

  /** Refuses a key given twice, which a lenient reader resolves silently to its last value. */
  private static final com.fasterxml.jackson.databind.ObjectReader STRICT =
      JSON.reader()
          .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");

  RecordType(Class<R> type) {
    this.type = type;
    this.components = type.getRecordComponents();
    Class<?>[] parameterTypes = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) parameterTypes[i] = components[i].getType();
    try {
      this.constructor = type.getDeclaredConstructor(parameterTypes);
      this.constructor.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          "record " + type.getName() + " has no canonical constructor", e);
    }
  }

  /** The record's components, as a tuple: {@code (base, exponent)}. */
  @Override
  public String name() {
    List<String> names = new ArrayList<>();
    for (RecordComponent c : components) names.add(c.getName());
    return "(" + String.join(", ", names) + ")";
  }

  @Override
  public String accepted() {
    List<String> names = new ArrayList<>();
    for (RecordComponent c : components) names.add(c.getName());
    return String.join(",", names)
        + " ("
        + components.length
        + " values separated by commas) or a JSON object";
  }

  @Override
  public Class<R> javaType() {
    return type;
  }

  @Override
  public R parse(String text) {
    String t = text.strip();
    if (t.startsWith("{")) {
      JsonNode tree;
      try {
        tree = STRICT.readTree(t);
      } catch (JsonProcessingException e) {
        Matcher twice = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        if (twice.find())
          throw new IllegalArgumentException(
              given(twice.group(1)) + " is given twice: expected " + fields());
        throw new IllegalArgumentException("expected " + accepted() + ", got '" + text + "'");
      }
      return fromJson(tree);
    }
    String[] parts = t.split(",", -1);
    if (parts.length != components.length) {
      throw new IllegalArgumentException("expected " + accepted() + ", got '" + text + "'");
    }
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) values.add(parts[i].strip());
    return fromComponents(values);
  }

  /**
   * Builds the record from its components in order, converting numbers and text to each component's
   * type.
   */
  R fromComponents(List<?> values) {
    if (values.size() != components.length) {
      throw new IllegalArgumentException(
          "expected " + components.length + " values for " + name() + ", got " + values.size());
    }
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      args[i] = convert(values.get(i), components[i]);
    }
    return construct(args);
  }

  private Object convert(Object value, RecordComponent component) {
    Class<?> target = component.getType();
    String what = component.getName() + " of " + name();
    if (value == null) throw new IllegalArgumentException(what + " is missing");
    if (target == long.class || target == Long.class) {
      return value instanceof Number n && !(value instanceof Double)
          ? n.longValue()
          : parseLong(value.toString(), "an integer for " + what);
    }
    if (target == int.class || target == Integer.class) {
      long l =
          value instanceof Number n && !(value instanceof Double)
              ? n.longValue()
              : parseLong(value.toString(), "an integer for " + what);
      if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(what + " must fit in 32 bits, got " + l);
      }
      return (int) l;
    }
    if (target == double.class || target == Double.class) {
      return value instanceof Number n
          ? n.doubleValue()
          : parseDouble(value.toString(), "a number for " + what);
    }
    if (target == boolean.class || target == Boolean.class) {
      return value instanceof Boolean b ? b : BOOLEAN.parse(value.toString());
    }
    if (target == String.class) return value.toString();
    return JSON.convertValue(value, target);
  }

  @Override
  public String format(R value) {
    return String.valueOf(value);
  }

  @Override
  public JsonNode toJson(R value) {
    return value == null ? NullNode.getInstance() : JSON.valueToTree(value);
  }

  /**
   * Reads a JSON object field by field, as strictly as the comma form: every component given (a
   * missing one would become 0 or null), none unknown, each of its type (2.5 is no integer, null no
   * number). A lenient mapper read {@code {"base": 2}} as base 2, exponent 0: a wrong result with
   * exit 0.
   */
  @Override
  public R fromJson(JsonNode json) {
    if (json == null || !json.isObject())
      throw new IllegalArgumentException("expected " + accepted() + ", got " + json);
    List<String> names = new ArrayList<>();
    for (RecordComponent c : components) names.add(c.getName());
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!names.contains(field))
        throw new IllegalArgumentException(
            "unknown field '" + field + "' for " + name() + ": expected " + fields());
    }
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      JsonNode value = json.get(components[i].getName());
      if (value == null)
        throw new IllegalArgumentException(
            given(components[i].getName()) + " is missing: expected " + fields());
      args[i] = component(value, components[i]);
    }
    return construct(args);
  }

  /** One component from its JSON value, refused unless it is of the component's type. */
  private Object component(JsonNode value, RecordComponent component) {
    Class<?> target = component.getType();
    String field = given(component.getName());
    if (value.isNull()) {
      // a primitive has no null (a lenient reader made it 0); a boxed component may hold one
      if (target.isPrimitive())
        throw new IllegalArgumentException(field + " is null: expected " + expected(target));
      return null;
    }
    if (target == long.class
        || target == Long.class
        || target == int.class
        || target == Integer.class) {
      if (value.isTextual()) return convert(value.asText(), component);
      if (!value.isIntegralNumber())
        throw new IllegalArgumentException(
            field + " is " + value + ": expected " + expected(target));
      if (!value.canConvertToLong())
        throw new IllegalArgumentException(
            field + " is " + value + ": expected an integer of 64 bits");
      return convert(value.longValue(), component);
    }
    if (target == double.class || target == Double.class) {
      if (value.isTextual()) return convert(value.asText(), component);
      if (!value.isNumber())
        throw new IllegalArgumentException(
            field + " is " + value + ": expected " + expected(target));
      return value.doubleValue();
    }
    if (target == boolean.class || target == Boolean.class) {
      if (value.isTextual()) return convert(value.asText(), component);
      if (!value.isBoolean())
        throw new IllegalArgumentException(
            field + " is " + value + ": expected " + expected(target));
      return value.booleanValue();
    }
    if (target == String.class) {
      if (!value.isValueNode())
        throw new IllegalArgumentException(field + " is " + value + ": expected text");
      return value.asText();
    }
    try { // with the component's generic type: a List<Long> holds longs, not the ints JSON reads
      return JSON.readerFor(JSON.getTypeFactory().constructType(component.getGenericType()))
          .readValue(value);
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " cannot be read from " + value);
    }
  }

  private static String expected(Class<?> target) {
    if (target == double.class || target == Double.class) return "a number";
    if (target == boolean.class || target == Boolean.class) return "true or false";
    return "an integer";
  }

  /** How a message names a field: {@code field 'base' of (base, exponent)}. */
  private String given(String field) {
    return "field '" + field + "' of " + name();
  }

  /** The fields a JSON object must have, each once. */
  private String fields() {
    List<String> names = new ArrayList<>();
    for (RecordComponent c : components) names.add(c.getName());
    return "a JSON object with " + String.join(", ", names) + ", each once";
  }

  private R construct(Object[] args) {
    try {
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new IllegalArgumentException(
          cause.getMessage() == null ? cause.toString() : cause.getMessage());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Values encode(List<? extends R> values) {
    List<JsonNode> out = new ArrayList<>(values.size());
    for (R v : values) out.add(toJson(v));
    return new Values.Jsons(out);
  }

  @Override
  public R decode(Values values, int index) {
    if (values instanceof Values.Jsons j) {
      JsonNode node = j.values().get(index);
      return node == null || node.isNull() ? null : fromJson(node);
    }
    throw mismatch(this, values);
  }
}
