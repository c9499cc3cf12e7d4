package io.cqrsbooks.query;

import io.cqrsbooks.query.readmodel.ReadModel;
import io.cqrsbooks.query.readmodel.ProjectionRules;
import io.cqrsbooks.contract.Book;
import io.cqrsbooks.store.StoredBooks;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Makes the read model current before the consumer starts. A read model that a complete copy built from
 * this MySQL store, following this topic with this consumer group, whose committed offsets are all still
 * in Kafka's log, is current once the group resumes: the process joins it as it is. Anything else (empty,
 * from another store or topic, or behind what Kafka still holds) is copied.
 *
 * <p>The copy takes MySQL's books in bid order, in bounded batches (keyset paging, reading the
 * next batch while the current one is stored, so memory holds two batches whatever the table's size):
 * one indexed version lookup (skipped into an empty read model) and one bulk write per batch.
 * It never replaces a newer document and can overlap the event stream; then live documents whose books
 * are gone from MySQL are removed.
 *
 * <p>Query processes that decide to copy at the same time copy once ({@link BootstrapClaims}): the others
 * wait for that copy and join it.
 */
final class ReadModelBootstrap {

  private static final Logger LOG = LoggerFactory.getLogger(ReadModelBootstrap.class);
  private static final long LOG_EVERY = 50_000;
  /** MySQL's ER_NO_SUCH_TABLE. */
  private static final int NO_SUCH_TABLE = 1146;
  /** How often a process started before the event topic exists looks for it again. */
  static final long TOPIC_LOOK_MILLIS = 250;

  private final Vertx vertx;
  private final StoredBooks mysql;
  private final ReadModel readModel;
  private final QueryStatus status;
  private final int batchSize;
  private final StreamCoverage stream;
  private final String groupId;
  private final boolean joinWhenCurrent;
  private final BootstrapClaims claims;
  private boolean waitingForTopic;

  /** @param joinWhenCurrent join a current read model as it is ({@code query.bootstrap=auto}); false: always copy */
  ReadModelBootstrap(Vertx vertx, StoredBooks mysql, ReadModel readModel, QueryStatus status, int batchSize,
      StreamCoverage stream, String groupId, boolean joinWhenCurrent) {
    this.claims = new BootstrapClaims(vertx, readModel, status);
    this.vertx = vertx;
    this.mysql = mysql;
    this.readModel = readModel;
    this.status = status;
    this.batchSize = batchSize;
    this.stream = stream;
    this.groupId = groupId;
    this.joinWhenCurrent = joinWhenCurrent;
  }

  /**
   * Joins or copies; completes with the number of books copied (0 on a join). While another process's copy
   * is alive, waits for it and then decides again, so query processes started together copy once. Fails if
   * the copy lost its claim (the read model was emptied, or another process took it over), so the caller
   * runs it again.
   */
  Future<Long> run() {
    long started = System.nanoTime();
    return readModel.ensureIndexes().compose(indexed -> decide(started))
        .recover(ReadModelBootstrap::explainMissingSchema);
  }

  private Future<Long> decide(long started) {
    return Future.all(mysql.storeEpoch(), stream.check(), readModel.bootstrapRecord())
        .compose(found -> {
          StreamCoverage.Coverage coverage = found.resultAt(1);
          if (coverage.topicId() == null) {
            return untilTheTopicExists(coverage.topic()).compose(looked -> decide(started));
          }
          topicFound(coverage.topic());
          String mismatch = partitionMismatch(coverage);
          if (mismatch != null) {
            return Future.failedFuture(new IllegalStateException(mismatch));
          }
          JsonObject record = found.resultAt(2);
          JsonObject origin = new JsonObject().put("storeEpoch", found.<String>resultAt(0))
              .put("topicId", coverage.topicId()).put("groupId", groupId).put("layout", ReadModel.LAYOUT);
          String whyCopy = joinWhenCurrent ? whyCopy(record, origin, coverage) : "query.bootstrap is 'copy'";
          if (whyCopy == null) {
            return join(started);
          }
          if (claims.isAnotherLiveCopy(record)) {
            return claims.waitWhileAnotherCopies(record).compose(finished -> decide(started));
          }
          LOG.info("copying the read model from MySQL: {}", whyCopy);
          return copy(origin, record, started);
        });
  }

  /**
   * A process started before any command process finds no event topic: it waits for it (in {@code /ready}'s
   * problem meanwhile) instead of copying now. A copy records the topic's id, which a topic made later does
   * not match, so the copy would be made again at the next start, the whole catalogue for nothing.
   */
  private Future<Void> untilTheTopicExists(String topic) {
    if (!waitingForTopic) {
      waitingForTopic = true;
      String waiting = "waiting for Kafka topic '" + topic + "': a command process creates it when it starts "
          + "(if one runs, check that kafka.topic is the same on both sides)";
      LOG.info(waiting);
      status.problem(waiting);
    }
    Promise<Void> looked = Promise.promise();
    vertx.setTimer(TOPIC_LOOK_MILLIS, timer -> looked.complete());
    return looked.future();
  }

  private void topicFound(String topic) {
    if (waitingForTopic) {
      waitingForTopic = false;
      status.clearProblem();
      LOG.info("Kafka topic '{}' exists now", topic);
    }
  }

  /** A query process started before any command process finds no tables: say so, and who makes them. */
  private static <T> Future<T> explainMissingSchema(Throwable failure) {
    if (failure instanceof MySQLException mysqlError && mysqlError.getErrorCode() == NO_SUCH_TABLE) {
      return Future.failedFuture(new IllegalStateException("MySQL holds no cqrs-books tables yet; a command process "
          + "creates them when it starts (" + mysqlError.getMessage() + ")", failure));
    }
    return Future.failedFuture(failure);
  }

  /**
   * Null when the topic has the configured number of partitions (the command side makes it with
   * {@code kafka.partitions}); else why nothing can be copied or applied. Each book is stored and
   * counted under the partition its events travel on, worked out from that number: a wrong one would count
   * books under partitions that never carry them, and the totals would drift without a word.
   */
  private String partitionMismatch(StreamCoverage.Coverage coverage) {
    int configured = readModel.partitioning().partitions();
    if (coverage.partitions() == configured) {
      return null;
    }
    return "topic '" + coverage.topic() + "' has " + coverage.partitions() + " partitions, but kafka.partitions is " + configured
        + ": set kafka.partitions (CQRS_KAFKA_PARTITIONS) to " + coverage.partitions()
        + ", the count the topic was made with (a topic given more partitions later needs a read model rebuild)";
  }

  /** Null when the read model can be joined as it is, else why it must be copied. */
  private static String whyCopy(JsonObject record, JsonObject origin, StreamCoverage.Coverage coverage) {
    if (record == null) {
      return "the read model is empty or has no record of a bootstrap";
    }
    if (!record.getBoolean(ReadModel.COMPLETE, false)) {
      return "the last copy did not complete";
    }
    int layout = record.getJsonObject("origin", new JsonObject()).getInteger("layout", 1);
    if (layout != ReadModel.LAYOUT) {
      return "its documents have layout " + layout + ", this release writes layout " + ReadModel.LAYOUT;
    }
    if (origin.getString("topicId") == null || !origin.equals(record.getJsonObject("origin"))) {
      return "it was built from another MySQL store, topic or consumer group (" + record.getJsonObject("origin")
          + ", now " + origin + ")";
    }
    if (!coverage.complete()) {
      return "Kafka no longer holds every event since the group's committed offsets";
    }
    return null;
  }

  private Future<Long> join(long started) {
    return readModel.markJoined().map(joined -> {
      status.bootstrapJoined();
      LOG.info("read model is current (built from this store and topic, and the group resumes without a gap): "
          + "joined it without a copy in {} ms", (System.nanoTime() - started) / 1_000_000);
      return 0L;
    });
  }

  /**
   * Claims the copy over {@code seen}, then copies while the claim says it is alive. A claim another process
   * won first sends this one back to {@link #decide}, to wait for that copy.
   */
  private Future<Long> copy(JsonObject origin, JsonObject seen, long started) {
    return readModel.isEmpty().compose(empty -> claims.claim(seen).compose(claim -> {
      if (claim == null) {
        LOG.info("another query process claimed the copy first");
        return decide(started);
      }
      status.bootstrapStarted();
      return copyAll(empty, claim)
          .compose(copied -> removeBooksMySqlNoLongerHas(empty).map(copied))
          .compose(copied -> readModel.counts().recount(readModel.partitioning().all()).map(copied))
          .compose(copied -> readModel.markComplete(claim.epoch(), origin).compose(complete -> complete
              ? Future.succeededFuture(copied)
              : Future.failedFuture(new IllegalStateException(
                  "the copy lost its claim (the read model was emptied, or another process took the copy over)"))))
          .onComplete(done -> claim.close())
          .onSuccess(copied -> {
            status.bootstrapMode("copied");
            LOG.info("read model bootstrapped from MySQL: {} books in {} ms",
                copied, (System.nanoTime() - started) / 1_000_000);
          });
    }));
  }

  private Future<Long> copyAll(boolean intoEmpty, BootstrapClaims.Claim claim) {
    return readBatch(0).compose(first -> copyFrom(first, 0, intoEmpty, claim));
  }

  private Future<List<Book>> readBatch(long after) {
    return mysql.batchAfter(after, batchSize);
  }

  /**
   * Stores {@code batch} while the next one is read from MySQL (one batch ahead, so memory stays two
   * batches whatever the table's size).
   *
   * @param intoEmpty the read model held nothing when the copy began: no stored version can be newer than
   *     MySQL's, so the per-batch version lookup is skipped (another process's writes meanwhile are guarded)
   * @param claim stops the copy at the next batch once it is no longer this process's
   */
  private Future<Long> copyFrom(List<Book> batch, long copied, boolean intoEmpty, BootstrapClaims.Claim claim) {
    if (batch.isEmpty()) {
      return Future.succeededFuture(copied);
    }
    if (claim.isLost()) {
      return Future.failedFuture(new IllegalStateException("the copy " + claim.epoch()
          + " lost its claim after " + copied + " books (the read model was emptied, or another process took it over)"));
    }
    long total = copied + batch.size();
    Future<List<Book>> next = readBatch(batch.get(batch.size() - 1).bid());
    Future<List<Book>> newer = intoEmpty ? Future.succeededFuture(batch)
        : readModel.appliedVersions(batch.stream().map(Book::bid).toList()).map(applied -> batch.stream()
            .filter(book -> ProjectionRules.isNewer(book.version(), applied.newest(book.bid())))
            .toList());
    return newer.compose(writable -> readModel.write(writable, Map.of()))
        .compose(written -> {
          status.bootstrapProgress(total);
          if (total / LOG_EVERY > copied / LOG_EVERY) {
            LOG.info("bootstrap: {} books copied", total);
          }
          return next;
        })
        .compose(following -> copyFrom(following, total, intoEmpty, claim));
  }

  /**
   * Removes documents whose book MySQL no longer holds, in one streamed pass checked chunk by chunk. Into
   * an empty read model only tombstoned bids need checking (why: docs/architecture.md, "Bootstrap removes
   * what MySQL no longer has").
   */
  private Future<Void> removeBooksMySqlNoLongerHas(boolean intoEmpty) {
    Function<List<Long>, Future<?>> removeGone = this::removeThoseMySqlNoLongerHas;
    return intoEmpty
        ? readModel.forEachDeletedBidChunk(batchSize, removeGone)
        : readModel.forEachLiveBidChunk(batchSize, removeGone);
  }

  private Future<?> removeThoseMySqlNoLongerHas(List<Long> bids) {
    return mysql.existing(bids).compose(existing -> {
      Set<Long> gone = new HashSet<>(bids);
      gone.removeAll(existing);
      return readModel.removeBooks(gone);
    });
  }
}
