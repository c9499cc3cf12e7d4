package io.cqrsbooks.query.readmodel;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.MongoClient;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The number of books, overall and per category, kept by the projection so no query counts the catalogue.
 * One document per Kafka partition ({@code _id} = partition): only that partition's consumer changes it,
 * one batch at a time, so an increment needs no lock. Exactness across crashes: a batch that will change a
 * partition's counts first marks it {@code pending}, and the increment clears the mark; a consumer taking a
 * partition that is still marked (its last owner died between the two) recounts it from the books.
 */
public final class BookCounts {

  static final String PARTITION = "partition";
  private static final String ID = "_id";
  private static final String TOTAL = "total";
  private static final String CATEGORIES = "categories";
  private static final String PENDING = "pending";
  private static final String FIELD_PREFIX = "c_";

  private final MongoClient mongo;
  private final String collection;
  private final String books;

  BookCounts(MongoClient mongo, Generation generation) {
    this.mongo = mongo;
    this.collection = generation.counts();
    this.books = generation.books();
  }

  /** The catalogue's totals: the sum of every partition's document. */
  public record Totals(long total, Map<String, Long> categories) {
  }

  public Future<Totals> read() {
    return mongo.find(collection, new JsonObject()).map(documents -> {
      long total = 0;
      Map<String, Long> categories = new TreeMap<>();
      for (JsonObject document : documents) {
        total += document.getLong(TOTAL, 0L);
        document.getJsonObject(CATEGORIES, new JsonObject()).forEach(entry -> categories.merge(
            decode(entry.getKey()), ((Number) entry.getValue()).longValue(), Long::sum));
      }
      categories.values().removeIf(n -> n <= 0);
      return new Totals(total, categories);
    });
  }

  /** Marks the partitions a batch is about to change, before the batch's books are written. */
  Future<Void> markPending(Set<Integer> partitions) {
    if (partitions.isEmpty()) {
      return Future.succeededFuture();
    }
    List<BulkOperation> marks = partitions.stream()
        .map(partition -> BulkOperation.createUpdate(new JsonObject().put(ID, partition),
            new JsonObject().put("$set", new JsonObject().put(PENDING, true)), true, false))
        .toList();
    return mongo.bulkWrite(collection, marks).mapEmpty();
  }

  /** Adds a written batch's changes and clears the partitions' marks. */
  Future<Void> add(CountDelta delta) {
    Map<Integer, Map<String, Long>> changes = delta.changes();
    if (changes.isEmpty()) {
      return Future.succeededFuture();
    }
    List<BulkOperation> increments = new ArrayList<>(changes.size());
    changes.forEach((partition, categories) -> {
      JsonObject inc = new JsonObject().put(TOTAL, delta.total(partition));
      categories.forEach((category, n) -> inc.put(CATEGORIES + "." + encode(category), n));
      increments.add(BulkOperation.createUpdate(new JsonObject().put(ID, partition),
          new JsonObject().put("$inc", inc).put("$unset", new JsonObject().put(PENDING, "")), true, false));
    });
    return mongo.bulkWrite(collection, increments).mapEmpty();
  }

  /** Of these partitions, those whose counts are missing or were left marked by a batch that did not finish. */
  public Future<Set<Integer>> unfinished(Collection<Integer> partitions) {
    if (partitions.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    JsonObject filter = new JsonObject().put(ID, new JsonObject().put("$in", new JsonArray(List.copyOf(partitions))));
    return mongo.find(collection, filter).map(documents -> {
      Set<Integer> finished = documents.stream()
          .filter(document -> !document.getBoolean(PENDING, false))
          .map(document -> document.getInteger(ID))
          .collect(Collectors.toSet());
      return partitions.stream().filter(partition -> !finished.contains(partition)).collect(Collectors.toSet());
    });
  }

  /**
   * Counts these partitions' books again and replaces their documents. Only the partitions' owner may
   * call it, between its batches (or a process that knows no batch runs, as a bootstrap does).
   */
  public Future<Void> recount(Collection<Integer> partitions) {
    if (partitions.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonArray pipeline = new JsonArray()
        .add(new JsonObject().put("$match", new JsonObject().put(PARTITION,
            new JsonObject().put("$in", new JsonArray(List.copyOf(partitions))))))
        .add(new JsonObject().put("$group", new JsonObject()
            .put(ID, new JsonObject().put("p", "$" + PARTITION).put("c", "$category"))
            .put("n", new JsonObject().put("$sum", 1))));
    Map<Integer, JsonObject> counted = new HashMap<>();
    partitions.forEach(partition -> counted.put(partition,
        new JsonObject().put(ID, partition).put(TOTAL, 0L).put(CATEGORIES, new JsonObject())));
    Promise<Void> grouped = Promise.promise();
    mongo.aggregate(books, pipeline)
        .exceptionHandler(grouped::tryFail)
        .endHandler(end -> grouped.tryComplete())
        .handler(group -> {
          JsonObject key = group.getJsonObject(ID);
          JsonObject document = counted.get(key.getInteger("p"));
          long n = group.getLong("n");
          document.put(TOTAL, document.getLong(TOTAL) + n);
          document.getJsonObject(CATEGORIES).put(encode(Objects.requireNonNullElse(key.getString("c"), "")), n);
        });
    return grouped.future().compose(done -> mongo.bulkWrite(collection, counted.values().stream()
            .map(document -> BulkOperation.createReplace(new JsonObject().put(ID, document.getInteger(ID)), document, true))
            .toList()))
        .mapEmpty();
  }

  /**
   * A category as a field name. MongoDB field names may be neither empty (books without a category) nor
   * start with '$', nor hold '.' or U+0000 (BSON names are C strings), so each name is prefixed and those
   * characters, and '%' itself, are written as %XX.
   */
  static String encode(String category) {
    StringBuilder field = new StringBuilder(FIELD_PREFIX.length() + category.length()).append(FIELD_PREFIX);
    for (int i = 0; i < category.length(); i++) {
      char c = category.charAt(i);
      if (c == '%' || c == '.' || c == '$' || c == '\0') {
        field.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      } else {
        field.append(c);
      }
    }
    return field.toString();
  }

  static String decode(String field) {
    StringBuilder category = new StringBuilder(field.length());
    for (int i = FIELD_PREFIX.length(); i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '%' && i + 2 < field.length()) {
        category.append((char) Integer.parseInt(field, i + 1, i + 3, 16));
        i += 2;
      } else {
        category.append(c);
      }
    }
    return category.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
