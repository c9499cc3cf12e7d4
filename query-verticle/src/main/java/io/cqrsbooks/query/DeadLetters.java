package io.cqrsbooks.query;

import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.contract.BookJson;
import io.cqrsbooks.contract.InvalidEventException;
import io.cqrsbooks.http.ApiException;
import io.cqrsbooks.query.readmodel.BookProjection;
import io.cqrsbooks.query.readmodel.DeadLetterStore;
import io.cqrsbooks.query.readmodel.WriteRefusedException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;

/**
 * Events that cannot be applied as they are (unreadable, of an unknown schema, or refused by MongoDB for
 * good), set aside with where they were and why so they never hold their partition; and what an operator
 * does with them: list, show, retry after a fix, discard. Every operator action is logged with who did it.
 */
public final class DeadLetters {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  /** Kafka's default largest record: a letter keeps the whole event, so it can be retried. */
  private static final int VALUE_MAX = 1024 * 1024;

  private final DeadLetterStore store;
  private final BookProjection projection;
  private final QueryStatus status;

  public DeadLetters(DeadLetterStore store, BookProjection projection, QueryStatus status) {
    this.store = store;
    this.projection = projection;
    this.status = status;
  }

  /** Stores the record as a dead letter; counted (and logged) once it is stored, and once per record. */
  Future<Void> setAside(KafkaConsumerRecord<String, String> record, String reason) {
    String value = record.value();
    boolean truncated = value != null && value.length() > VALUE_MAX;
    String id = record.topic() + "-" + record.partition() + "-" + record.offset();
    return store.store(id, new JsonObject()
        .put("topic", record.topic())
        .put("partition", record.partition())
        .put("offset", record.offset())
        .put("key", record.key())
        .put("value", truncated ? value.substring(0, VALUE_MAX) : value)
        .put("truncated", truncated)
        .put("reason", reason)
        .put("at", Instant.now().toString()))
        .onSuccess(newlyStored -> {
          if (newlyStored) {
            status.deadLettered();
            LOG.warn("event at {}-{} offset {} set aside: {}", record.topic(), record.partition(), record.offset(), reason);
          }
        })
        .mapEmpty();
  }

  /** A page of letters, newest first: {@code {items, total, offset, limit}}. */
  public Future<JsonObject> page(int offset, int limit) {
    return Future.all(store.page(offset, limit), store.count()).map(found -> new JsonObject()
        .put("items", new JsonArray(found.<List<JsonObject>>resultAt(0)))
        .put("total", found.<Long>resultAt(1))
        .put("offset", offset)
        .put("limit", limit));
  }

  public Future<Long> waiting() {
    return store.count();
  }

  /** One letter; 404 when there is none with this id. */
  public Future<JsonObject> show(String id) {
    return store.find(id).compose(letter -> letter == null ? Future.failedFuture(noSuchLetter(id)) : Future.succeededFuture(letter));
  }

  /**
   * Decodes the letter's event again and applies it (version-guarded, so an event the read model has since
   * overtaken changes nothing); the letter is removed once it applied. Fails with 422, keeping the letter
   * and noting the attempt, when it still cannot be applied; 503 when MongoDB is away.
   */
  public Future<JsonObject> retry(String id, String who) {
    return show(id).compose(letter -> {
      if (letter.getBoolean("truncated", false)) {
        return Future.failedFuture(ApiException.conflict("dead letter " + id
            + " kept only the first " + VALUE_MAX + " characters of its event; it cannot be retried, only discarded"));
      }
      BookEvent event;
      try {
        event = BookJson.decode(letter.getString("value"));
      } catch (InvalidEventException e) {
        return stillFailing(id, who, e.getMessage());
      }
      return projection.apply(List.of(event))
          .compose(applied -> store.remove(id).map(removed -> {
            String outcome = applied.isEmpty() ? "already superseded" : "applied";
            LOG.info("dead letter {} retried by {}: {} ({} of book {} at version {})", id, who, outcome,
                event.type(), event.bid(), event.version());
            return new JsonObject().put("id", id).put("outcome", outcome).put("bid", event.bid())
                .put("version", event.version());
          }))
          .recover(failure -> failure instanceof WriteRefusedException refused
              ? stillFailing(id, who, refused.reasons().getOrDefault(event.bid(), refused.getMessage()))
              : Future.failedFuture(failure instanceof ApiException ? failure
                  : ApiException.unavailable("the read model is unavailable; try again")));
    });
  }

  /** Retries every letter, oldest first: {@code {retried, applied, stillFailing: [{id, reason}]}}. */
  public Future<JsonObject> retryAll(String who) {
    JsonObject summary = new JsonObject().put("retried", 0).put("applied", 0).put("stillFailing", new JsonArray());
    return store.ids().compose(ids -> {
      Future<Void> chain = Future.succeededFuture();
      for (String id : ids) {
        chain = chain.compose(previous -> retry(id, who).transform(done -> {
          summary.put("retried", summary.getInteger("retried") + 1);
          if (done.succeeded()) {
            summary.put("applied", summary.getInteger("applied") + 1);
            return Future.succeededFuture();
          }
          if (done.cause() instanceof ApiException refused && refused.status() < 500) {
            summary.getJsonArray("stillFailing").add(new JsonObject().put("id", id).put("reason", reasonOf(refused)));
            return Future.succeededFuture();
          }
          return Future.failedFuture(done.cause());
        }));
      }
      return chain.map(summary);
    });
  }

  /** Removes a letter for good; 404 when there is none with this id. */
  public Future<Void> discard(String id, String who) {
    return show(id).compose(letter -> store.remove(id)).compose(removed -> {
      if (!removed) {
        return Future.failedFuture(noSuchLetter(id));
      }
      LOG.info("dead letter {} discarded by {}", id, who);
      return Future.<Void>succeededFuture();
    });
  }

  private Future<JsonObject> stillFailing(String id, String who, String reason) {
    LOG.info("dead letter {} retried by {}: still cannot be applied: {}", id, who, reason);
    JsonObject attempt = new JsonObject().put("at", Instant.now().toString()).put("by", who).put("reason", reason);
    return store.noteRetry(id, attempt).compose(noted -> Future.failedFuture(
        ApiException.unprocessable("dead letter " + id + " still cannot be applied", "event", reason)));
  }

  private static String reasonOf(ApiException failure) {
    return failure.details().isEmpty() ? failure.getMessage() : failure.details().get(0).message();
  }

  private static ApiException noSuchLetter(String id) {
    return ApiException.notFound("dead letter " + id + " does not exist");
  }
}
