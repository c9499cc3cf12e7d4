package io.cqrsbooks.command;

import io.cqrsbooks.config.KafkaSettings;
import io.cqrsbooks.config.MySqlSettings;
import io.cqrsbooks.contract.EventHeaders;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Publishes outbox rows to Kafka in id order (key = bid) and marks them published.
 *
 * <p>Woken by every local commit, so the happy path has no polling delay; the holder polls the outbox
 * often for commits made by other command processes (every 5 ms while it publishes, every 100 ms once it has
 * been idle a second, by default), and a slower tick retries after outages. Only the instance that
 * holds a MySQL named lock publishes; the lock lives on the relay's own connection (a pool of one, closed to
 * end the session), so it is released the moment that process dies. That connection's {@code wait_timeout}
 * is the lease's term: the holder renews it several times a term, so a holder cut off from MySQL loses the
 * lock within the failover time and a standby, competing on its tick, takes over from where the outbox
 * stands. A holder whose connection went silent learns it from the socket timeout, lets the lease go and
 * competes again on a new connection. A crash between sending and marking re-sends a batch: the read side's
 * version guard makes that harmless.
 */
public final class OutboxRelay extends VerticleBase {

  /** Local event-bus address the command API notifies after each commit. */
  public static final String WAKE_ADDRESS = "cqrs-books.outbox.committed";

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  private static final String LEASE_NAME = "cqrs_books.outbox_relay";
  private static final int BATCH_SIZE = 500;
  private static final Duration PURGE_EVERY = Duration.ofMinutes(1);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final MySqlSettings mysql;
  private final KafkaSettings kafka;
  private final RelaySchedule schedule;
  private final Duration leaseTerm;

  private KafkaProducer<String, String> producer;
  private KafkaAdminClient admin;
  private SqlConnection lease;
  /** The pool of one that {@link #lease} is the connection of: closing it ends the session and lets the lock go. */
  private Pool leaseSession;
  private Pool markPool;
  private OutboxMarks marks;
  private boolean topicReady;
  private boolean wakeAgain;
  private boolean purgeDue;
  private boolean stopped;
  /** When a batch was last published ({@link System#nanoTime}): the holder polls fast for a while after. */
  private long lastPublishedNanos = System.nanoTime() - RelaySchedule.BUSY_FOR.toNanos();
  /** The drain under way, or the last one: a wake-up meanwhile drains again after it; the relay stops after it. */
  private Future<?> drain = Future.succeededFuture();
  private final RelayStatus status;

  public OutboxRelay(MySqlSettings mysql, KafkaSettings kafka, RelaySchedule schedule, RelayStatus status) {
    this.mysql = mysql;
    this.status = status;
    this.kafka = kafka;
    this.schedule = schedule;
    this.leaseTerm = schedule.leaseTerm();
  }

  @Override
  public Future<?> start() {
    producer = newProducer();
    admin = KafkaAdminClient.create(vertx, kafka.adminConfig());
    markPool = mysql.sharedPool(vertx, CommandApiVerticle.POOL_NAME);
    marks = new OutboxMarks(markPool, status, this::wake);
    // A commit wakes only the lease holder; an instance without the lease competes for it on the tick,
    // so it does not open a connection to ask for the lock after every commit.
    vertx.eventBus().<Void>localConsumer(WAKE_ADDRESS, message -> {
      if (lease != null) {
        wake();
      }
    });
    vertx.setPeriodic(schedule.tick().toMillis(), tick -> wake());
    pollForOtherProcesses();
    // No point purging more often than rows become old enough; a short retention is purged as often.
    vertx.setPeriodic(Math.min(PURGE_EVERY.toMillis(), schedule.retention().toMillis()), tick -> {
      purgeDue = true;
      wake();
    });
    vertx.setPeriodic(schedule.renewEvery().toMillis(), tick -> renewLease());
    wake();
    return Future.succeededFuture();
  }

  /**
   * Lets the drain under way and the marks in flight finish (at most {@link #STOP_GRACE}) before closing what
   * they use: cut off, a mark is lost (its rows are sent again by the next holder, harmless but needless) and
   * warned about on every stop.
   */
  @Override
  public Future<?> stop() {
    stopped = true;
    return drain.transform(drained -> marks.settled())
        .timeout(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)
        .transform(settled -> closeAll());
  }

  private Future<?> closeAll() {
    List<Future<?>> closing = new ArrayList<>();
    closing.add(producer.close(KafkaSettings.CLOSE_TIMEOUT.toMillis()));
    closing.add(admin.close(KafkaSettings.CLOSE_TIMEOUT.toMillis()));
    closing.add(markPool.close());
    if (leaseSession != null) {
      closing.add(leaseSession.close());
    }
    return Future.join(closing);
  }

  /**
   * The holder looks for rows other command processes committed: every {@code holderPoll} while it publishes,
   * every {@code holderIdlePoll} once it has published nothing for {@link RelaySchedule#BUSY_FOR}.
   */
  private void pollForOtherProcesses() {
    boolean busy = System.nanoTime() - lastPublishedNanos < RelaySchedule.BUSY_FOR.toNanos();
    long every = (busy ? schedule.holderPoll() : schedule.holderIdlePoll()).toMillis();
    vertx.setTimer(every, poll -> {
      if (stopped) {
        return;
      }
      if (lease != null && !status.isPaused()) {
        wake();
      }
      pollForOtherProcesses();
    });
  }

  private void wake() {
    if (stopped) {
      return;
    }
    if (!drain.isComplete()) {
      wakeAgain = true;
      return;
    }
    status.drainStarted();
    Future<Void> started = holdLease()
        .compose(held -> held
            ? ensureTopic().compose(ready -> publishPending()).compose(published -> purgeIfDue())
            : Future.succeededFuture());
    drain = started;
    started.onComplete(done -> {
      status.drainEnded();
      if (done.failed() && stopped) {
        // Cut off by the stop's grace (e.g. Kafka away): the next holder sends these rows.
        LOG.info("outbox relay stopped during a drain: {}", done.cause().getMessage());
      } else if (done.failed()) {
        pause(done.cause());
      } else {
        resumedAfterFailure();
        if (wakeAgain) {
          wakeAgain = false;
          wake();
        }
      }
    });
  }

  /** True when this instance holds the publishing lease, acquiring it if it is free. */
  private Future<Boolean> holdLease() {
    if (lease != null) {
      return Future.succeededFuture(true);
    }
    Pool session = mysql.ownConnection(vertx, "cqrs-books-relay-lease");
    return session.getConnection().compose(connection ->
        connection.query(CommandSql.leaseTerm(leaseTerm.toSeconds())).execute()
            .compose(termSet -> connection.preparedQuery(CommandSql.LOCK).execute(Tuple.of(LEASE_NAME, 0)))
            .map(rows -> {
              Integer granted = rows.iterator().next().getInteger(0);
              if (granted != null && granted == 1 && stopped) {
                // Granted while this relay stopped: stop() found no lease to close, so the lock is let go here.
                session.close();
                return false;
              }
              if (granted != null && granted == 1) {
                holdingLease(connection, session);
                // Closed under us: by MySQL, or by the socket timeout on a connection gone silent.
                connection.closeHandler(closed -> {
                  if (lease == connection) {
                    letLeaseGo();
                  }
                });
                LOG.info("this instance now relays the outbox to Kafka topic '{}'", kafka.topic());
                return true;
              }
              session.close();
              return false;
            }))
        .onFailure(failure -> session.close());
  }

  /** Any statement restarts the lease connection's wait_timeout; independent of publishing, which may stall on Kafka. */
  private void renewLease() {
    SqlConnection connection = lease;
    // Once stopping, the lease connection is being closed: the lease ends with it, and there is nothing to renew.
    if (connection != null && !stopped) {
      connection.query(CommandSql.RENEW_LEASE).execute().onFailure(failure -> {
        // Renewals queued behind a statement that never got its answer fail together: the first one says so.
        if (lease == connection) {
          LOG.warn("the relay lease could not be renewed, giving it up: {}", failure.getMessage());
          letLeaseGo();
        }
      });
    }
  }

  private Future<Void> ensureTopic() {
    if (topicReady) {
      return Future.succeededFuture();
    }
    return admin.createTopics(List.of(new NewTopic(kafka.topic(), kafka.partitions(), kafka.replicationFactor())))
        .recover(failure -> isTopicExists(failure) ? Future.succeededFuture() : Future.failedFuture(failure))
        .onSuccess(created -> topicReady = true);
  }

  /**
   * Sends every unpublished row not already sent, in id order, a batch at a time; each batch's mark runs
   * beside the next batch (see {@link OutboxMarks}), so a row is selected with the ones still being marked
   * and skipped.
   */
  private Future<Void> publishPending() {
    SqlConnection connection = lease;
    if (connection == null) {
      return Future.failedFuture("the outbox lease connection was closed");
    }
    marks.selecting();
    return connection.preparedQuery(CommandSql.UNPUBLISHED).execute(Tuple.of(BATCH_SIZE + marks.unmarked()))
        .map(rows -> {
          List<Row> unsent = new ArrayList<>(rows.size());
          rows.forEach(row -> {
            if (!marks.sentAlready(row.getLong("id"))) {
              unsent.add(row);
            }
          });
          return unsent;
        })
        .compose(unsent -> {
          if (unsent.isEmpty()) {
            return Future.succeededFuture();
          }
          return publish(unsent).compose(done -> unsent.size() >= BATCH_SIZE
              ? publishPending()
              : Future.succeededFuture());
        });
  }

  private Future<Void> publish(List<Row> rows) {
    List<Long> ids = new ArrayList<>(rows.size());
    List<Future<?>> sends = new ArrayList<>(rows.size());
    for (Row row : rows) {
      ids.add(row.getLong("id"));
      // Sent in id order on one idempotent producer: each partition keeps that order.
      KafkaProducerRecord<String, String> record = KafkaProducerRecord.create(
          kafka.topic(), String.valueOf(row.getLong("bid")), row.getString("payload"));
      String requestId = row.getString("request_id");
      if (requestId != null) {
        record.addHeader(EventHeaders.REQUEST_ID, requestId);
      }
      sends.add(producer.send(record));
    }
    return Future.all(sends).onSuccess(sent -> {
      lastPublishedNanos = System.nanoTime();
      LOG.debug("published {} outbox rows to Kafka, ids {} to {}", ids.size(), ids.get(0), ids.get(ids.size() - 1));
      marks.mark(ids);
    }).mapEmpty();
  }

  /**
   * Deletes published rows older than the retention, as the last step of a drain; the purge tick only marks
   * it due, because the drain tick fires at the same moment and a purge that waits for an idle relay never runs.
   */
  private Future<Void> purgeIfDue() {
    SqlConnection connection = lease;
    if (!purgeDue || connection == null) {
      return Future.succeededFuture();
    }
    purgeDue = false;
    LocalDateTime cutoff = LocalDateTime.ofInstant(Instant.now().minus(schedule.retention()), ZoneOffset.UTC);
    return connection.preparedQuery(CommandSql.PURGE_PUBLISHED).execute(Tuple.of(cutoff))
        .onSuccess(purged -> {
          if (purged.rowCount() > 0) {
            LOG.info("purged {} published outbox rows older than {}", purged.rowCount(), schedule.retention());
          }
        })
        .<Void>mapEmpty()
        // Publishing is what matters; a failed purge is tried again on the next purge tick.
        .recover(failure -> {
          LOG.warn("outbox purge failed: {}", failure.getMessage());
          return Future.succeededFuture();
        });
  }

  private void pause(Throwable failure) {
    if (!status.isPaused()) {
      LOG.warn("outbox relay paused, retrying every {} ms: {}", schedule.tick().toMillis(), failure.getMessage());
    }
    status.paused(failure.getMessage());
    // A broken lease connection is dropped so the next tick connects and competes for the lease again.
    if (lease != null && !isKafkaFailure(failure)) {
      letLeaseGo();
    }
    if (isProducerBroken(failure)) {
      replaceProducer(failure);
    }
  }

  /**
   * A producer that failed for good (e.g. an idempotent producer whose sequence numbers the broker rejects as
   * out of order) fails every later send the same way, so it is replaced: the new one has a producer id of
   * its own. The unmarked rows are sent again by it; duplicates on the topic are harmless to the read side.
   */
  private void replaceProducer(Throwable failure) {
    LOG.warn("the Kafka producer failed for good; replacing it: {}", failure.toString());
    KafkaProducer<String, String> broken = producer;
    producer = newProducer();
    broken.close(KafkaSettings.CLOSE_TIMEOUT.toMillis()).onFailure(closing -> LOG.debug("closing the broken producer failed: {}", closing.getMessage()));
  }

  /**
   * A failed send fails its own future, which the drain handles; Vert.x reports it to the producer's exception
   * handler as well, and without one logs each as an unhandled error (a stop during a Kafka outage logged one).
   */
  private KafkaProducer<String, String> newProducer() {
    KafkaProducer<String, String> created = KafkaProducer.create(vertx, kafka.producerConfig());
    created.exceptionHandler(failure -> LOG.debug("a send to Kafka failed: {}", failure.getMessage()));
    return created;
  }

  /** Kafka refused for a reason retrying with the same producer cannot cure (not a timeout or a leader move). */
  private static boolean isProducerBroken(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof KafkaException kafkaFailure) {
        return !(kafkaFailure instanceof RetriableException) && !(kafkaFailure instanceof TopicExistsException);
      }
    }
    return false;
  }

  private void resumedAfterFailure() {
    if (status.isPaused()) {
      LOG.info("outbox relay resumed");
      status.resumed();
    }
  }

  private void holdingLease(SqlConnection connection, Pool session) {
    lease = connection;
    leaseSession = session;
    status.lease(connection != null);
  }

  /** Ends the lease's session, which lets the lock go at once if MySQL still holds it for us. */
  private void letLeaseGo() {
    Pool session = leaseSession;
    holdingLease(null, null);
    if (session != null) {
      session.close();
    }
  }

  private static boolean isTopicExists(Throwable failure) {
    return causedBy(failure, TopicExistsException.class);
  }

  /** Kafka refused or timed out: the lease connection is fine and is kept. */
  private static boolean isKafkaFailure(Throwable failure) {
    return causedBy(failure, KafkaException.class);
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> kind) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (kind.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
