package io.cqrsbooks.command;

import io.cqrsbooks.config.MySqlSettings;
import io.cqrsbooks.embedded.TestServers;
import io.cqrsbooks.store.SchemaMigrations;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The relay's bookkeeping of rows sent but not yet known to be marked, on real MariaDB. Its calls run on one
 * Vert.x context, as the relay's do.
 */
@ExtendWith(VertxExtension.class)
class OutboxMarksTest {

  private Pool pool;
  private Context loop;
  private RelayStatus status;
  private OutboxMarks marks;

  @BeforeEach
  void freshOutbox(Vertx vertx) throws Exception {
    MySqlSettings mysql = TestServers.get().newDatabase(vertx);
    SchemaMigrations.apply(vertx, mysql.connectOptions()).await(60, TimeUnit.SECONDS);
    pool = mysql.sharedPool(vertx, "marks-test-" + mysql.database());
    loop = vertx.getOrCreateContext();
    status = new RelayStatus(Duration.ofSeconds(5));
    marks = new OutboxMarks(pool, status, () -> { });
  }

  /**
   * A drain's select may read the outbox before a mark running beside it commits, and answer after that mark
   * finished: the row must still count as sent when the drain checks the answer, or it is sent twice.
   */
  @Test
  void aRowWhoseMarkFinishesWhileADrainSelectsStillCountsAsSentWhenThatDrainChecks() throws Exception {
    long id = newOutboxRow("Marked during a select");
    onLoop(() -> {
      marks.selecting();
      marks.mark(List.of(id));
      return null;
    });
    awaitMarked(id);

    assertTrue(onLoop(() -> marks.sentAlready(id)), "a row marked while the select ran would be sent again");
  }

  @Test
  void aRowMarkedBeforeADrainSelectsIsNotCountedAsSentByThatDrain() throws Exception {
    long id = newOutboxRow("Marked between drains");
    assertTrue(onLoop(() -> {
      marks.mark(List.of(id));
      return marks.sentAlready(id);
    }), "a row being marked counts as sent");
    awaitMarked(id);

    assertFalse(onLoop(() -> {
      marks.selecting();
      return marks.sentAlready(id);
    }), "a mark that committed before the select began is seen by it: the row is not remembered any longer");
  }

  private long newOutboxRow(String title) throws Exception {
    BookStore store = new BookStore(pool, () -> { });
    long bid = store.create(new BookInput(title, "An Author", "tests", 100, 1000, LocalDate.of(2020, 1, 2), "", null), "test")
        .await(30, TimeUnit.SECONDS).bid();
    return pool.preparedQuery("SELECT id FROM outbox WHERE bid = ?").execute(Tuple.of(bid))
        .await(30, TimeUnit.SECONDS).iterator().next().getLong(0);
  }

  /** Until the row's mark has finished: it is marked in MariaDB and the relay's status counts it. */
  private void awaitMarked(long id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (onLoop(() -> status.toJson().getLong("eventsPublished")) == 1) {
        Object publishedAt = pool.preparedQuery("SELECT published_at FROM outbox WHERE id = ?").execute(Tuple.of(id))
            .await(30, TimeUnit.SECONDS).iterator().next().getValue(0);
        assertNotNull(publishedAt, "the status counted a row MariaDB does not show as published");
        return;
      }
      Thread.sleep(20);
    }
    fail("the mark did not finish within 10 s");
  }

  private <T> T onLoop(Supplier<T> action) throws Exception {
    Promise<T> done = Promise.promise();
    loop.runOnContext(run -> {
      try {
        done.complete(action.get());
      } catch (RuntimeException e) {
        done.fail(e);
      }
    });
    return done.future().await(10, TimeUnit.SECONDS);
  }
}
