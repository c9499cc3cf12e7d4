package io.cqrsbooks.command;

import io.cqrsbooks.embedded.TestServers;
import io.cqrsbooks.store.SchemaMigrations;
import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.contract.BookEventType;
import io.cqrsbooks.contract.BookJson;
import io.cqrsbooks.config.MySqlSettings;
import io.cqrsbooks.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The write model on a real MariaDB: one transaction per command, the book row and its event together. */
@ExtendWith(VertxExtension.class)
class BookStoreTest {

  private Pool pool;
  private BookStore store;
  private final AtomicInteger wakes = new AtomicInteger();

  @BeforeEach
  void freshDatabase(Vertx vertx) throws Exception {
    MySqlSettings mysql = TestServers.get().newDatabase(vertx);
    await(SchemaMigrations.apply(vertx, mysql.connectOptions()));
    pool = mysql.sharedPool(vertx, "book-store-test-" + mysql.database());
    store = new BookStore(pool, wakes::incrementAndGet);
  }

  @Test
  void aCommandWritesItsRowAndItsEventInOneTransactionAndWakesTheRelayAfterTheCommit() throws Exception {
    BookEvent created = await(store.create(input("First", 100), "req-create"));
    BookEvent updated = await(store.replace(created.bid(), input("First, revised", 120), OptionalLong.of(1), "req-update"));
    BookEvent deleted = await(store.delete(created.bid(), OptionalLong.empty(), "req-delete"));

    assertEquals(List.of(1L, 2L, 3L), List.of(created.version(), updated.version(), deleted.version()));
    assertEquals(3, wakes.get(), "one wake-up per commit");
    List<Row> outbox = rows("SELECT event_id, bid, version, event_type, payload, request_id FROM outbox ORDER BY id");
    assertEquals(3, outbox.size());
    List<BookEventType> types = new ArrayList<>();
    for (Row row : outbox) {
      BookEvent stored = BookJson.decode(row.getString("payload"));
      assertEquals(row.getString("event_id"), stored.eventId());
      assertEquals(row.getLong("version").longValue(), stored.version());
      assertEquals(created.bid(), stored.bid());
      types.add(stored.type());
    }
    assertEquals(List.of(BookEventType.BookCreated, BookEventType.BookUpdated, BookEventType.BookDeleted), types);
    assertEquals(List.of("req-create", "req-update", "req-delete"),
        outbox.stream().map(row -> row.getString("request_id")).toList(), "each row keeps its command's request id");
    assertEquals("First, revised", BookJson.decode(outbox.get(1).getString("payload")).book().title());
    assertEquals(0, rows("SELECT bid FROM books").size(), "the deleted book's row is gone");
  }

  @Test
  void aRefusedCommandWritesNothingAndWakesNoOne() throws Exception {
    BookEvent created = await(store.create(input("Kept", 10), "test"));
    int wakesBefore = wakes.get();

    ApiException stale = assertThrows(ApiException.class,
        () -> await(store.replace(created.bid(), input("Lost update", 11), OptionalLong.of(7), "test")));
    assertEquals(412, stale.status());
    ApiException missing = assertThrows(ApiException.class, () -> await(store.delete(created.bid() + 1000, OptionalLong.empty(), "test")));
    assertEquals(404, missing.status());

    assertEquals(wakesBefore, wakes.get());
    assertEquals(1, rows("SELECT id FROM outbox").size(), "only the create's event");
    Row book = rows("SELECT title, version FROM books").get(0);
    assertEquals("Kept", book.getString("title"));
    assertEquals(1L, book.getLong("version"));
  }

  @Test
  void concurrentUpdatesOfOneBookGetConsecutiveVersionsInCommitOrder() throws Exception {
    long bid = await(store.create(input("Contended", 1), "test")).bid();
    List<Future<BookEvent>> updates = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      updates.add(store.replace(bid, input("Contended " + i, 2 + i), OptionalLong.empty(), "test"));
    }
    await(Future.all(updates));

    List<Long> versionsInOutboxOrder = rows("SELECT version FROM outbox ORDER BY id").stream()
        .map(row -> row.getLong("version")).toList();
    List<Long> expected = new ArrayList<>();
    for (long v = 1; v <= 21; v++) {
      expected.add(v);
    }
    assertEquals(expected, versionsInOutboxOrder, "the row lock serialises them: outbox order is version order");
    assertEquals(21L, rows("SELECT version FROM books").get(0).getLong("version"));
  }

  private List<Row> rows(String sql) throws Exception {
    List<Row> rows = new ArrayList<>();
    await(pool.query(sql).execute()).forEach(rows::add);
    return rows;
  }

  private static BookInput input(String title, long price) {
    return new BookInput(title, "An Author", "tests", 100, price, LocalDate.of(2020, 1, 2), "about " + title, null);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }
}
