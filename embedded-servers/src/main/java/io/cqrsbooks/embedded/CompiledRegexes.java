package io.cqrsbooks.embedded;

import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A command whose field conditions of the form {@code {$regex: ..., $options: ...}} are replaced by regular
 * expression values, which mongo-java-server compiles once per command. It compiles the document form again
 * for every value it checks: a search on the words of 100,000 books compiled each pattern over 500,000
 * times. Both forms mean the same to MongoDB; only the cost changes.
 */
final class CompiledRegexes {

  private static final String REGEX = "$regex";
  private static final Set<String> REGEX_KEYS = Set.of(REGEX, "$options");

  private CompiledRegexes() {
  }

  /** The command with its conditions converted, or the command itself when it holds none. */
  static Document in(Document command) {
    return (Document) convert(command, false);
  }

  private static Object convert(Object value, boolean isFieldCondition) {
    if (value instanceof Document document) {
      if (isFieldCondition && document.containsKey(REGEX) && REGEX_KEYS.containsAll(document.keySet())) {
        return BsonRegularExpression.convertToRegularExpression(document);
      }
      Document converted = null;
      for (String key : document.keySet()) {
        Object inner = document.get(key);
        Object changed = convert(inner, !key.startsWith("$"));
        if (changed != inner) {
          if (converted == null) {
            converted = new Document(document);
          }
          converted.put(key, changed);
        }
      }
      return converted == null ? document : converted;
    }
    if (value instanceof List<?> list) {
      List<Object> converted = null;
      for (int i = 0; i < list.size(); i++) {
        Object inner = list.get(i);
        Object changed = convert(inner, false);
        if (changed != inner) {
          if (converted == null) {
            converted = new ArrayList<>(list);
          }
          converted.set(i, changed);
        }
      }
      return converted == null ? list : converted;
    }
    return value;
  }
}
