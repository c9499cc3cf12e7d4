package io.cqrsbooks.command;

import io.cqrsbooks.embedded.TestServers;
import io.cqrsbooks.store.SchemaMigrations;
import io.cqrsbooks.config.KafkaSettings;
import io.cqrsbooks.config.MySqlSettings;
import io.cqrsbooks.contract.BookJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The relay verticle alone on real MariaDB and Kafka. Two relays share one outbox, each configured with a
 * topic of its own, so the topic a record lands on says which relay published it.
 */
@ExtendWith(VertxExtension.class)
class OutboxRelayTest {

  private static final Duration TICK = Duration.ofMillis(200);
  private static final Duration FAILOVER = Duration.ofSeconds(3);
  private static final Duration KEEP = Duration.ofHours(1);

  private TestServers servers;
  private MySqlSettings mysql;
  private Pool pool;

  @BeforeEach
  void freshDatabase(Vertx vertx) throws Exception {
    servers = TestServers.get();
    mysql = servers.newDatabase(vertx);
    await(SchemaMigrations.apply(vertx, mysql.connectOptions()));
    pool = mysql.sharedPool(vertx, "relay-test-" + mysql.database());
  }

  @Test
  void onlyTheLeaseHolderPublishesInOutboxOrderAndTheStandbyTakesOverWhenItDies(Vertx vertx) throws Exception {
    KafkaSettings holderTopic = servers.newTopic("relay-holder");
    KafkaSettings standbyTopic = servers.newTopic("relay-standby");
    // The standby finds the topic there when it takes over, as it does in production, where both relays share one.
    servers.createTopic(standbyTopic);
    RelayStatus holderStatus = new RelayStatus(Duration.ofSeconds(5));
    RelayStatus standbyStatus = new RelayStatus(Duration.ofSeconds(5));
    Vertx holderProcess = Vertx.vertx();
    await(holderProcess.deployVerticle(new OutboxRelay(mysql, holderTopic, schedule(KEEP), holderStatus)));
    awaitTrue("the first relay holds the lease", Duration.ofSeconds(10), () -> leaseHolderConnection() != null);
    await(vertx.deployVerticle(new OutboxRelay(mysql, standbyTopic, schedule(KEEP), standbyStatus)));

    // Commands committed in the standby's Vert.x wake the standby, which must leave them to the holder.
    BookStore store = new BookStore(pool, () -> vertx.eventBus().send(OutboxRelay.WAKE_ADDRESS, null));
    List<Long> bids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      bids.add(await(store.create(input("Book " + i), "test")).bid());
    }
    for (long bid : bids) {
      await(store.replace(bid, input("Book " + bid + " again"), OptionalLong.of(1), "test"));
    }
    awaitTrue("the outbox drained", Duration.ofSeconds(20), () -> unpublished() == 0);

    List<ConsumerRecord<String, String>> published = servers.records(holderTopic);
    assertEquals(60, published.size());
    Map<String, List<Long>> versionsPerBook = new HashMap<>();
    for (ConsumerRecord<String, String> record : published) {
      long version = BookJson.decode(record.value()).version();
      versionsPerBook.computeIfAbsent(record.key(), bid -> new ArrayList<>()).add(version);
    }
    assertEquals(30, versionsPerBook.size());
    versionsPerBook.forEach((bid, versions) -> assertEquals(List.of(1L, 2L), versions, "book " + bid));
    assertEquals(0, servers.records(standbyTopic).size(), "the standby published");
    assertEquals("publishing", holderStatus.state());
    assertEquals(60, holderStatus.toJson().getLong("eventsPublished"));
    assertEquals("standby", standbyStatus.state());
    assertEquals(0, standbyStatus.toJson().getLong("eventsPublished"));

    await(holderProcess.close());
    long diedAt = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      await(store.create(input("After the holder died " + i), "test"));
    }
    awaitTrue("the standby took the lease", FAILOVER.plusSeconds(5), () -> standbyStatus.toJson().getBoolean("holdsLease"),
        () -> "standby " + standbyStatus.toJson() + ", lease held by connection " + leaseHolderConnection());
    awaitTrue("the standby published the outbox", FAILOVER.plusSeconds(5), () -> unpublished() == 0,
        () -> "standby " + standbyStatus.toJson() + ", " + unpublished() + " rows unpublished");
    long tookOverMillis = (System.nanoTime() - diedAt) / 1_000_000;
    assertTrue(tookOverMillis <= FAILOVER.toMillis() + 2000, "published after " + tookOverMillis + " ms");
    assertEquals(10, servers.records(standbyTopic).size());
    assertEquals("publishing", standbyStatus.state(), "the standby now holds the lease");
    assertEquals(10, standbyStatus.toJson().getLong("eventsPublished"));
    assertEquals(60, servers.records(holderTopic).size(), "nothing more on the dead holder's topic");
  }

  @Test
  void publishedRowsAreKeptForTheRetentionAndThenPurged(Vertx vertx) throws Exception {
    Duration retention = Duration.ofSeconds(3);
    KafkaSettings topic = servers.newTopic("relay-purge");
    await(vertx.deployVerticle(new OutboxRelay(mysql, topic, schedule(retention), new RelayStatus(Duration.ofSeconds(5)))));
    BookStore store = new BookStore(pool, () -> vertx.eventBus().send(OutboxRelay.WAKE_ADDRESS, null));
    for (int i = 0; i < 20; i++) {
      await(store.create(input("Purged later " + i), "test"));
    }
    awaitTrue("the outbox drained", Duration.ofSeconds(20), () -> unpublished() == 0);
    long publishedAt = System.nanoTime();
    assertEquals(20, count("SELECT COUNT(*) FROM outbox"), "published rows are kept for the retention");

    awaitTrue("published rows purged", Duration.ofSeconds(15), () -> count("SELECT COUNT(*) FROM outbox") == 0);
    long keptMillis = (System.nanoTime() - publishedAt) / 1_000_000;
    assertTrue(keptMillis >= retention.toMillis() - 1000, "purged after " + keptMillis + " ms");
    assertEquals(20, servers.records(topic).size(), "purging removed nothing from the topic");
    assertEquals(20, count("SELECT COUNT(*) FROM books"));
  }

  @Test
  void theHolderPublishesAnotherProcesssCommitsOnItsOutboxPollNotOnTheSlowTick(Vertx vertx) throws Exception {
    Duration slowTick = Duration.ofSeconds(10);
    KafkaSettings topic = servers.newTopic("relay-holder-poll");
    RelaySchedule schedule = new RelaySchedule(slowTick, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(30), KEEP);
    await(vertx.deployVerticle(new OutboxRelay(mysql, topic, schedule, new RelayStatus(Duration.ofSeconds(5)))));
    awaitTrue("the relay holds the lease", Duration.ofSeconds(10), () -> leaseHolderConnection() != null);
    awaitTrue("the topic exists", Duration.ofSeconds(10), () -> {
      try {
        return servers.topicExists(topic);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });

    // Committed without waking the relay, as a commit in another command process is.
    BookStore otherProcess = new BookStore(pool, () -> { });
    long committedAt = System.nanoTime();
    await(otherProcess.create(input("Committed elsewhere"), "test"));
    awaitTrue("published", slowTick, () -> unpublished() == 0);
    long publishedMillis = (System.nanoTime() - committedAt) / 1_000_000;
    assertTrue(publishedMillis < slowTick.toMillis() / 2, "published after " + publishedMillis + " ms: on the tick, not the poll");
    assertEquals(1, servers.records(topic).size());
  }

  @Test
  void aBatchWhoseMarkIsHeldUpIsNeitherSentAgainNorInTheWayOfTheNextCommits(Vertx vertx) throws Exception {
    KafkaSettings topic = servers.newTopic("relay-slow-mark");
    RelayStatus status = new RelayStatus(Duration.ofSeconds(5));
    await(vertx.deployVerticle(new OutboxRelay(mysql, topic, schedule(KEEP), status)));
    awaitTrue("the relay holds the lease", Duration.ofSeconds(10), () -> leaseHolderConnection() != null);
    // Marking a row now takes a second; the relay's reads of the outbox do not wait for it.
    await(pool.query("""
        CREATE TRIGGER slow_mark BEFORE UPDATE ON outbox FOR EACH ROW
        SET NEW.published_at = IF(SLEEP(1) = 0, NEW.published_at, NEW.published_at)""").execute());
    BookStore store = new BookStore(pool, () -> vertx.eventBus().send(OutboxRelay.WAKE_ADDRESS, null));

    for (int i = 0; i < 3; i++) {
      await(store.create(input("Marked slowly " + i), "test"));
    }
    awaitTrue("the first books sent", Duration.ofSeconds(10), () -> servers.records(topic).size() == 3);
    long committedAt = System.nanoTime();
    await(store.create(input("Committed while the others are marked"), "test"));
    awaitTrue("the next book sent", Duration.ofSeconds(10), () -> servers.records(topic).size() == 4);
    long sentMillis = (System.nanoTime() - committedAt) / 1_000_000;
    assertTrue(unpublished() > 0, "the first marks are still running");
    assertTrue(sentMillis < 1500, "sent " + sentMillis + " ms after its commit: it waited for the marks before it");

    awaitTrue("every row marked", Duration.ofSeconds(20), () -> unpublished() == 0);
    // The relay drained on every commit and every 20 ms meanwhile: rows being marked were not sent again.
    assertEquals(4, servers.records(topic).size());
    assertEquals(4, status.toJson().getLong("eventsPublished"));
  }

  private static RelaySchedule schedule(Duration retention) {
    return new RelaySchedule(TICK, Duration.ofMillis(20), Duration.ofMillis(100), FAILOVER, retention);
  }

  private Long leaseHolderConnection() {
    return count("SELECT IS_USED_LOCK('cqrs_books.outbox_relay')");
  }

  private long unpublished() {
    return count("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL");
  }

  private Long count(String sql) {
    try {
      return await(pool.query(sql).execute()).iterator().next().getLong(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static BookInput input(String title) {
    return new BookInput(title, "An Author", "tests", 100, 1000, LocalDate.of(2020, 1, 2), "", null);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }

  private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    awaitTrue(what, timeout, condition, () -> "");
  }

  /** @param state what the failure message adds, so that a timeout in CI says where things stood */
  private static void awaitTrue(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(50);
    }
    fail("timed out after " + timeout + " waiting for: " + what + ". " + state.get());
  }
}
