package io.cqrsbooks.query;

import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.contract.BookJson;
import io.cqrsbooks.contract.InvalidEventException;
import io.cqrsbooks.config.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the read model current: bootstraps it from MySQL, then consumes book events from the group's
 * committed offsets. Each polled batch is applied to MongoDB and only then are its offsets committed,
 * so a crash re-delivers instead of losing; a batch that cannot be applied is retried until it can.
 * The next poll does not wait for the commit: the committed offsets are those of applied batches
 * (named explicitly, never "wherever the consumer is"), at most one commit is in flight, and the
 * offsets of batches applied meanwhile go in the next one.
 * Every applied change is published on the event bus for the live change streams.
 *
 * <p>It also watches the read model: if MongoDB becomes unreachable the side reports not ready, and if
 * it comes back without the bootstrap marker (an in-memory server restarted empty, a database dropped)
 * consuming pauses while the read model is rebuilt from MySQL, then resumes from the committed offsets.
 */
public final class BookEventConsumer extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BookEventConsumer.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  private static final long RETRY_MILLIS = 1000;
  private static final int DEAD_LETTER_VALUE_MAX = 10_000;

  private final KafkaSettings kafka;
  private final ReadModel readModel;
  private final ReadModelBootstrap bootstrap;
  private final QueryStatus status;
  private final BookProjection projection;
  private final Duration checkEvery;
  private KafkaConsumer<String, String> consumer;
  private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
  private boolean committing;
  private boolean rebuildNeeded;
  private boolean stopping;

  BookEventConsumer(KafkaSettings kafka, ReadModel readModel, Pool mysql, QueryStatus status, int batchSize,
      Duration checkEvery) {
    this.kafka = kafka;
    this.checkEvery = checkEvery;
    this.readModel = readModel;
    this.status = status;
    this.projection = new BookProjection(readModel);
    this.bootstrap = new ReadModelBootstrap(mysql, readModel, status, batchSize);
  }

  @Override
  public Future<?> start() {
    consumer = KafkaConsumer.create(vertx, kafka.consumerConfig());
    bootstrapThenConsume();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    return consumer.close();
  }

  private void bootstrapThenConsume() {
    bootstrap.run()
        .onSuccess(copied -> status.bootstrapped())
        .compose(copied -> consumer.subscribe(kafka.topic()))
        .onSuccess(subscribed -> {
          status.consuming();
          LOG.info("consuming topic '{}' as group '{}'", kafka.topic(), kafka.groupId());
          vertx.setPeriodic(checkEvery.toMillis(), timer -> checkReadModel());
          pollNext();
        })
        .onFailure(failure -> {
          status.problem("bootstrap failed: " + failure.getMessage());
          LOG.warn("read model bootstrap failed, retrying in {} ms: {}", RETRY_MILLIS, failure.getMessage());
          retryLater(this::bootstrapThenConsume);
        });
  }

  private void pollNext() {
    if (stopping) {
      return;
    }
    if (rebuildNeeded) {
      rebuild();
      return;
    }
    consumer.poll(POLL_TIMEOUT)
        .onSuccess(this::process)
        .onFailure(failure -> {
          LOG.warn("polling Kafka failed: {}", failure.getMessage());
          retryLater(this::pollNext);
        });
  }

  private void process(KafkaConsumerRecords<String, String> records) {
    if (records.isEmpty()) {
      pollNext();
      return;
    }
    List<BookEvent> events = new ArrayList<>(records.size());
    List<Future<Void>> deadLetters = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      try {
        events.add(BookJson.decode(record.value()));
      } catch (InvalidEventException e) {
        deadLetters.add(setAside(record, e.getMessage()));
      }
    }
    Future.all(deadLetters)
        .compose(parked -> projection.apply(events))
        .onSuccess(applied -> {
          status.clearProblem();
          status.applied(applied.size());
          applied.forEach(this::announce);
          commitApplied(records);
          pollNext();
        })
        .onFailure(failure -> {
          status.problem("read model unavailable: " + failure.getMessage());
          LOG.warn("applying {} events failed, retrying in {} ms: {}", events.size(), RETRY_MILLIS, failure.getMessage());
          retryLater(() -> process(records));
        });
  }

  /** Runs beside the poll loop; only flags what it finds, the loop acts on it between batches. */
  private void checkReadModel() {
    if (rebuildNeeded) {
      return;
    }
    readModel.isBootstrapped()
        .onSuccess(bootstrapped -> {
          status.readModelReachable();
          if (!bootstrapped && !rebuildNeeded) {
            LOG.warn("the read model lost its bootstrap marker (MongoDB was emptied); rebuilding it from MySQL");
            rebuildNeeded = true;
            status.rebuilding();
          }
        })
        .onFailure(failure -> status.readModelUnreachable("MongoDB unreachable: " + failure.getMessage()));
  }

  private void rebuild() {
    bootstrap.run()
        .onSuccess(copied -> {
          rebuildNeeded = false;
          status.bootstrapped();
          pollNext();
        })
        .onFailure(failure -> {
          LOG.warn("rebuilding the read model failed, retrying in {} ms: {}", RETRY_MILLIS, failure.getMessage());
          retryLater(this::pollNext);
        });
  }

  private void commitApplied(KafkaConsumerRecords<String, String> records) {
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      // Records of a partition come in offset order, so the last one sets where to resume.
      toCommit.put(new TopicPartition(record.topic(), record.partition()),
          new OffsetAndMetadata(record.offset() + 1, null));
    }
    commitNext();
  }

  private void commitNext() {
    if (committing || toCommit.isEmpty() || stopping) {
      return;
    }
    committing = true;
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(toCommit);
    toCommit.clear();
    consumer.commit(offsets)
        // Applied but not committed (e.g. during a rebalance): the events come again and change nothing.
        .onFailure(failure -> LOG.warn("committing offsets failed; those events may be delivered again: {}",
            failure.toString()))
        .onComplete(done -> {
          committing = false;
          commitNext();
        });
  }

  private Future<Void> setAside(KafkaConsumerRecord<String, String> record, String reason) {
    status.deadLettered();
    LOG.warn("event at {}-{} offset {} set aside: {}", record.topic(), record.partition(), record.offset(), reason);
    String value = record.value();
    if (value != null && value.length() > DEAD_LETTER_VALUE_MAX) {
      value = value.substring(0, DEAD_LETTER_VALUE_MAX);
    }
    return readModel.deadLetter(new JsonObject()
        .put("topic", record.topic())
        .put("partition", record.partition())
        .put("offset", record.offset())
        .put("key", record.key())
        .put("value", value)
        .put("reason", reason)
        .put("at", Instant.now().toString()));
  }

  private void announce(BookEvent event) {
    vertx.eventBus().publish(BookChange.ADDRESS, new BookChange(event.type(), event.bid(), event.version(), event.book()));
  }

  private void retryLater(Runnable action) {
    if (!stopping) {
      vertx.setTimer(RETRY_MILLIS, timer -> action.run());
    }
  }
}
