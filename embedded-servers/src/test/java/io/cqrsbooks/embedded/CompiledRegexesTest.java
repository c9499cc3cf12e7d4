package io.cqrsbooks.embedded;

import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Field conditions that are regular expressions in document form become regular expression values; nothing else changes. */
class CompiledRegexesTest {

  @Test
  void fieldConditionsInFiltersAndPipelinesAreConverted() {
    Document prefix = new Document("$regex", "^le");
    Document find = new Document("find", "books").append("filter",
        new Document("$and", List.of(new Document("words", prefix), new Document("category", "SF"))));
    Document converted = CompiledRegexes.in(find);

    Document term = (Document) ((List<?>) ((Document) converted.get("filter")).get("$and")).get(0);
    BsonRegularExpression regex = assertInstanceOf(BsonRegularExpression.class, term.get("words"));
    assertEquals("^le", regex.getPattern());
    assertSame(prefix, ((Document) ((List<?>) ((Document) find.get("filter")).get("$and")).get(0)).get("words"),
        "the command given is not changed");

    Document aggregate = new Document("aggregate", "books").append("pipeline", List.of(
        new Document("$match", new Document("title", new Document("$regex", "^a").append("$options", "i"))),
        new Document("$limit", 5)));
    Document match = (Document) ((Document) ((List<?>) CompiledRegexes.in(aggregate).get("pipeline")).get(0)).get("$match");
    assertEquals("i", assertInstanceOf(BsonRegularExpression.class, match.get("title")).getOptions());
  }

  @Test
  void whatIsNotAFieldsRegularExpressionIsLeftAsItIs() {
    Document mixed = new Document("find", "books").append("filter", new Document("title",
        new Document("$regex", "^a").append("$ne", "ab"))
        .append("words", new Document("$in", List.of(new Document("$regex", "^x"))))
        .append("isbn", new Document("$not", new Document("$regex", "^97"))));
    assertSame(mixed, CompiledRegexes.in(mixed));
  }
}
