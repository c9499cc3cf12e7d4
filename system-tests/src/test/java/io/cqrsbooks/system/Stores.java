package io.cqrsbooks.system;

import io.cqrsbooks.contract.Book;
import io.cqrsbooks.contract.BookJson;
import io.cqrsbooks.query.QuerySettings;
import io.cqrsbooks.store.BookRows;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static io.cqrsbooks.system.Waits.await;
import static io.cqrsbooks.system.Waits.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The two stores read directly, around the services: MySQL (the truth) and the MongoDB read model. */
final class Stores {

  private final Pool mysql;
  private final MongoClient mongo;

  /** @param settings the query side's settings: it reaches both stores, as the services do */
  Stores(Vertx vertx, QuerySettings settings) {
    mysql = settings.mysql().sharedPool(vertx, "system-test-" + System.nanoTime());
    mongo = MongoClient.create(vertx, settings.mongo().clientConfig());
  }

  Pool mysql() {
    return mysql;
  }

  MongoClient mongo() {
    return mongo;
  }

  long countRows(String table) {
    return await(mysql.query("SELECT COUNT(*) FROM " + table).execute()).iterator().next().getLong(0);
  }

  List<Book> mysqlBooks() {
    List<Book> books = new ArrayList<>();
    for (Row row : await(mysql.query("SELECT " + BookRows.COLUMNS + " FROM books ORDER BY bid").execute())) {
      books.add(BookRows.fromRow(row));
    }
    return books;
  }

  /** The books collection of the generation queries read (see the read model's {@code generations} record). */
  String booksCollection() {
    JsonObject generations = await(mongo.findOne("read_model_meta", new JsonObject().put("_id", "generations"), null));
    int current = generations == null ? 0 : generations.getInteger("current", 0);
    return current == 0 ? "books" : "books_g" + current;
  }

  List<Book> readModelBooks() {
    List<JsonObject> documents = await(mongo.findWithOptions(booksCollection(), new JsonObject(),
        new FindOptions().setSort(new JsonObject().put("_id", 1))));
    List<Book> books = new ArrayList<>();
    for (JsonObject document : documents) {
      document.remove("_id");
      document.remove("words");
      document.remove("partition");
      books.add(BookJson.fromJson(document));
    }
    books.sort(Comparator.comparingLong(Book::bid));
    return books;
  }

  /** Waits until the read model holds exactly MySQL's books, field by field and version by version. */
  void awaitReadModelEqualsMySql(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Book> expected = List.of();
    List<Book> actual = List.of();
    while (System.nanoTime() < deadline) {
      expected = mysqlBooks();
      actual = readModelBooks();
      if (expected.equals(actual)) {
        return;
      }
      sleep(200);
    }
    assertEquals(expected, actual, "read model differs from MySQL after " + timeout);
  }

  /** Outbox rows the relay has not published yet. */
  long unpublishedEvents() {
    return await(mysql.query("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL").execute())
        .iterator().next().getLong(0);
  }

  /** Every event id in the outbox, i.e. of every committed command. */
  List<String> outboxEventIds() {
    List<String> ids = new ArrayList<>();
    for (Row row : await(mysql.query("SELECT event_id FROM outbox").execute())) {
      ids.add(row.getString(0));
    }
    return ids;
  }

  void close() {
    mysql.close();
    mongo.close();
  }
}
