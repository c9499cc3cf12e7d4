package io.cqrsbooks.query.readmodel;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import io.cqrsbooks.contract.Book;
import io.cqrsbooks.contract.BookFields;
import io.cqrsbooks.contract.BookJson;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.CountOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The MongoDB read model: collections, indexes, filters and every guarded write, in one place.
 *
 * <p>{@code books} holds one document per live book ({@code _id} = bid). {@code book_tombstones}
 * remembers the version at which a book was deleted, so a late or replayed older event cannot bring
 * it back. Writes are version-guarded: a write that is not newer than what is stored changes nothing.
 * Only features both MongoDB and mongo-java-server support are used (listed in docs/architecture.md,
 * "MongoDB features relied on"). The counts live in {@link BookCounts}; list filters, sorts and indexes in
 * {@link BookFilters}.
 */
public final class ReadModel {

  /**
   * The shape of the stored documents. 2: each book carries its partition and search words, and the counts
   * exist. A read model of another layout is copied again at start.
   */
  public static final int LAYOUT = 2;
  /** One document recording the last bootstrap; its absence means the database lost the read model. */
  static final String META = "read_model_meta";
  private static final String ID = BookFilters.ID;
  private static final int DUPLICATE_KEY = 11000;
  /** Fields of the bootstrap record ({@link #bootstrapRecord}). */
  public static final String EPOCH = "epoch";
  public static final String COMPLETE = "complete";
  public static final String COPIER = "copier";
  /** When the copier last said it is alive, in its clock's epoch milliseconds. */
  public static final String HEARTBEAT_AT = "heartbeatAt";
  public static final String COPIED = "copied";
  private static final int NAMESPACE_NOT_FOUND = 26;
  /**
   * Server error codes that pass by themselves (failovers, shutdowns, timeouts, write conflicts): a batch
   * rejected with one is retried, never set aside.
   */
  private static final Set<Integer> PASSING_ERRORS = Set.of(6, 7, 50, 64, 89, 91, 112, 189, 262, 9001, 10107, 11600,
      11601, 11602, 13435, 13436);

  private final MongoClient mongo;
  private final boolean atomicVersionGuard;
  private final Partitioning partitioning;
  /** The generation queries read; it changes when a rebuild switches them to a new one. */
  private volatile Generation generation;

  /**
   * @param atomicVersionGuard put the version check in every write's filter (MongoDB serves
   *     {@code {_id, version: {$lt: v}}} from the _id index, and so does the embedded stand-in). The
   *     embedded launch, whose single query process is the only writer, turns it off and relies on the
   *     lookup before each write.
   */
  public ReadModel(MongoClient mongo, boolean atomicVersionGuard, Partitioning partitioning) {
    this(mongo, atomicVersionGuard, partitioning, new Generation(0));
  }

  private ReadModel(MongoClient mongo, boolean atomicVersionGuard, Partitioning partitioning, Generation generation) {
    this.mongo = mongo;
    this.atomicVersionGuard = atomicVersionGuard;
    this.partitioning = partitioning;
    this.generation = generation;
  }

  /**
   * Another generation of this read model, for a rebuild. Its writes always carry the atomic version
   * guard: the copy from MySQL and the live events write it at the same time.
   */
  public ReadModel at(Generation other) {
    return new ReadModel(mongo, true, partitioning, other);
  }

  public Generation generation() {
    return generation;
  }

  public Partitioning partitioning() {
    return partitioning;
  }

  /** The counts of the generation queries read now. */
  public BookCounts counts() {
    return new BookCounts(mongo, generation);
  }

  /** Queries and writes go to {@code other} from now on. */
  public void switchTo(Generation other) {
    generation = other;
  }

  /** Drops a generation's collections and bootstrap record (one no query process reads any more). */
  public Future<Void> drop(Generation old) {
    return Future.all(dropIfPresent(old.books()), dropIfPresent(old.tombstones()), dropIfPresent(old.counts()),
            mongo.removeDocument(META, new JsonObject().put(ID, old.bootstrapMarker())))
        .mapEmpty();
  }

  /** MongoDB before 7.0 answers NamespaceNotFound for a collection that is not there: already dropped. */
  private Future<Void> dropIfPresent(String collection) {
    return mongo.dropCollection(collection).recover(failure -> failure instanceof MongoCommandException command
        && command.getErrorCode() == NAMESPACE_NOT_FOUND ? Future.succeededFuture() : Future.failedFuture(failure));
  }

  public Future<Void> ensureIndexes() {
    return mongo.createIndexes(generation.books(), BookFilters.indexes());
  }

  /**
   * What the read model holds of some books: the live documents' versions and the tombstones' versions.
   * One indexed lookup per collection, so the caller can leave out stale writes before writing.
   */
  public record Applied(Map<Long, Long> live, Map<Long, Long> deleted, Map<Long, Counted> counted) {

    /** The partition and category under which the counts hold a live book. */
    public record Counted(int partition, String category) {
    }

    /** The version the book was last applied at, live or deleted; null when it never was. */
    public Long newest(long bid) {
      Long live = this.live.get(bid);
      Long deleted = this.deleted.get(bid);
      if (live == null || deleted == null) {
        return live == null ? deleted : live;
      }
      return Math.max(live, deleted);
    }

    /**
     * {bid: tombstone version} of deletions that recorded their tombstone but never removed the document
     * (the process died between the two writes): the event comes again, is not newer, and must still finish.
     */
    public Map<Long, Long> unfinishedDeletions() {
      Map<Long, Long> unfinished = new HashMap<>();
      deleted.forEach((bid, version) -> {
        Long live = this.live.get(bid);
        if (live != null && live < version) {
          unfinished.put(bid, version);
        }
      });
      return unfinished;
    }
  }

  public Future<Applied> appliedVersions(Collection<Long> bids) {
    return appliedVersions(generation, bids);
  }

  private Future<Applied> appliedVersions(Generation in, Collection<Long> bids) {
    Map<Long, Applied.Counted> counted = new HashMap<>();
    return Future.all(versions(in.books(), bids, counted), versions(in.tombstones(), bids, null))
        .map(found -> new Applied(found.resultAt(0), found.resultAt(1), counted));
  }

  /**
   * Stores books and records deletions in one bulk write per collection. Callers pass only changes newer
   * than what {@link #appliedVersions} reported; with the atomic guard the filter re-checks that on the
   * server, so a concurrent writer in another process cannot make a document go backwards.
   */
  public Future<Void> write(List<Book> upserts, Map<Long, Long> deletions) {
    Batch books = new Batch(upserts.size() + deletions.size());
    for (Book book : upserts) {
      books.add(BulkOperation.createReplace(guard(book.bid(), book.version()), document(book), true),
          book.bid(), book.version());
    }
    Batch tombstones = new Batch(deletions.size());
    deletions.forEach((bid, version) -> {
      tombstones.add(BulkOperation.createReplace(guard(bid, version),
          new JsonObject().put(ID, bid).put(BookFields.VERSION, version), true), bid, version);
      books.add(BulkOperation.createDelete(guard(bid, version)), bid, version);
    });
    Generation target = generation;
    return bulk(target, target.tombstones(), tombstones).compose(recorded -> bulk(target, target.books(), books));
  }

  /** A book as stored: its JSON, keyed by bid, with the partition it is counted in and its search words. */
  private JsonObject document(Book book) {
    return BookJson.toJson(book).put(ID, book.bid()).put(BookCounts.PARTITION, partitioning.of(book.bid()))
        .put(BookFilters.WORDS, new JsonArray(SearchWords.of(book)));
  }

  /** Bulk operations, each with the book and version it writes, to tell a stale write from a refused one. */
  private static final class Batch {
    final List<BulkOperation> operations;
    final List<Long> bids;
    final List<Long> versions;

    Batch(int size) {
      operations = new ArrayList<>(size);
      bids = new ArrayList<>(size);
      versions = new ArrayList<>(size);
    }

    void add(BulkOperation operation, long bid, long version) {
      operations.add(operation);
      bids.add(bid);
      versions.add(version);
    }
  }

  /** Bids of all live books, streamed in chunks; the stream is paused while a chunk is handled. */
  public Future<Void> forEachLiveBidChunk(int chunkSize, Function<List<Long>, Future<?>> handler) {
    return forEachIdChunk(generation.books(), chunkSize, handler);
  }

  /** Bids of all recorded deletions, streamed in chunks like {@link #forEachLiveBidChunk}. */
  public Future<Void> forEachDeletedBidChunk(int chunkSize, Function<List<Long>, Future<?>> handler) {
    return forEachIdChunk(generation.tombstones(), chunkSize, handler);
  }

  private Future<Void> forEachIdChunk(String collection, int chunkSize, Function<List<Long>, Future<?>> handler) {
    Promise<Void> done = Promise.promise();
    ReadStream<JsonObject> stream = mongo.findBatchWithOptions(collection, new JsonObject(),
        new FindOptions().setFields(new JsonObject().put(ID, 1)).setBatchSize(chunkSize));
    List<Long> chunk = new ArrayList<>(chunkSize);
    stream.exceptionHandler(done::tryFail);
    stream.endHandler(end -> handler.apply(List.copyOf(chunk)).onComplete(last -> {
      if (last.failed()) {
        done.tryFail(last.cause());
      } else {
        done.tryComplete();
      }
    }));
    stream.handler(doc -> {
      chunk.add(doc.getLong(ID));
      if (chunk.size() == chunkSize) {
        List<Long> full = List.copyOf(chunk);
        chunk.clear();
        stream.pause();
        handler.apply(full).onComplete(handled -> {
          if (handled.failed()) {
            done.tryFail(handled.cause());
          } else {
            stream.resume();
          }
        });
      }
    });
    return done.future();
  }

  public Future<Long> removeBooks(Collection<Long> bids) {
    if (bids.isEmpty()) {
      return Future.succeededFuture(0L);
    }
    JsonObject filter = new JsonObject().put(ID, new JsonObject().put("$in", new JsonArray(List.copyOf(bids))));
    return mongo.removeDocuments(generation.books(), filter).map(result -> result.getRemovedCount());
  }

  /**
   * The version of each book a query sees now: the live document's when there is one, else the
   * tombstone's; absent when neither. A deletion records its tombstone before it removes the document, so
   * the tombstone alone would claim the removal while queries still find the book.
   */
  public Future<Map<Long, Long>> visibleVersions(Collection<Long> bids) {
    return appliedVersions(bids).map(applied -> {
      Map<Long, Long> visible = new HashMap<>(applied.deleted());
      visible.putAll(applied.live());
      return visible;
    });
  }

  /**
   * {bid: version} of the given books in one collection: one indexed lookup ({@code _id} itself for one
   * book). With {@code counted}, also where each live book stands in the counts.
   */
  private Future<Map<Long, Long>> versions(String collection, Collection<Long> bids, Map<Long, Applied.Counted> counted) {
    JsonObject filter = bids.size() == 1
        ? new JsonObject().put(ID, bids.iterator().next())
        : new JsonObject().put(ID, new JsonObject().put("$in", new JsonArray(List.copyOf(bids))));
    JsonObject fields = new JsonObject().put(BookFields.VERSION, 1);
    if (counted != null) {
      fields.put(BookCounts.PARTITION, 1).put(BookFields.CATEGORY, 1);
    }
    return mongo.findWithOptions(collection, filter, new FindOptions().setFields(fields)).map(found -> {
      Map<Long, Long> versions = new HashMap<>();
      found.forEach(doc -> {
        versions.put(doc.getLong(ID), doc.getLong(BookFields.VERSION));
        if (counted != null) {
          Integer partition = doc.getInteger(BookCounts.PARTITION);
          counted.put(doc.getLong(ID), new Applied.Counted(partition == null ? partitioning.of(doc.getLong(ID)) : partition,
              doc.getString(BookFields.CATEGORY, "")));
        }
      });
      return versions;
    });
  }

  public Future<JsonObject> findBook(long bid) {
    return mongo.findOne(generation.books(), new JsonObject().put(ID, bid), storedOnly(false)).map(ReadModel::toApi);
  }

  /**
   * One page of a list: one more row than asked is read, to tell whether the list goes on in the direction
   * read. Keysets for the neighbouring pages come from the first and last rows.
   */
  public Future<BookPage> findPage(BookCriteria criteria) {
    FindOptions options = new FindOptions()
        .setFields(storedOnly(true))
        .setSort(BookFilters.sort(criteria))
        .setSkip(criteria.offset())
        .setLimit(criteria.limit() + 1);
    return mongo.findWithOptions(generation.books(), BookFilters.filter(criteria), options)
        .map(rows -> BookPage.of(criteria, rows, BookFilters.sortKey(criteria)));
  }

  /** How many books match, counting no further than {@code cap}. */
  public Future<Long> countBooks(BookCriteria criteria, long cap) {
    return mongo.countWithOptions(generation.books(), BookFilters.filter(criteria), new CountOptions().setLimit((int) Math.min(cap, Integer.MAX_VALUE)));
  }

  /** Books in the read model (live documents, tombstones not counted), as the projection counts them. */
  public Future<Long> size() {
    return counts().read().map(BookCounts.Totals::total);
  }

  /** True when there is neither a live book nor a tombstone. */
  public Future<Boolean> isEmpty() {
    Generation in = generation;
    return Future.all(mongo.findOne(in.books(), new JsonObject(), new JsonObject().put(ID, 1)),
            mongo.findOne(in.tombstones(), new JsonObject(), new JsonObject().put(ID, 1)))
        .map(found -> found.resultAt(0) == null && found.resultAt(1) == null);
  }

  /**
   * Claims the bootstrap for a copy with {@code epoch}, made by {@code copier}, over {@code seen}: the record
   * read when deciding to copy (null: there was none). The claim is a conditional write, so of processes
   * deciding at once exactly one gets it; false for the others, which then wait for that copy. The record
   * starts incomplete, with a heartbeat ({@link #heartbeat}) that tells waiting processes the copy is alive.
   */
  public Future<Boolean> claimBootstrap(String epoch, String copier, JsonObject seen) {
    JsonObject claim = new JsonObject().put(ID, generation.bootstrapMarker()).put(EPOCH, epoch).put(COMPLETE, false)
        .put(COPIER, copier).put(HEARTBEAT_AT, System.currentTimeMillis()).put(COPIED, 0L);
    if (seen == null) {
      return mongo.insert(META, claim).map(true)
          .recover(failure -> isDuplicateKey(failure) ? Future.succeededFuture(false) : Future.failedFuture(failure));
    }
    JsonObject unchanged = new JsonObject().put(ID, generation.bootstrapMarker()).put(EPOCH, seen.getValue(EPOCH))
        .put(HEARTBEAT_AT, seen.getValue(HEARTBEAT_AT));
    return mongo.replaceDocuments(META, unchanged, claim).map(result -> result.getDocMatched() == 1);
  }

  /**
   * Says that the copy with {@code epoch} is alive and how many books it has copied. False when the claim
   * is no longer its own: another process took a copy it judged dead over, or the database was emptied.
   */
  public Future<Boolean> heartbeat(String epoch, long copied) {
    return mongo.updateCollection(META,
            new JsonObject().put(ID, generation.bootstrapMarker()).put(EPOCH, epoch).put(COMPLETE, false),
            new JsonObject().put("$set", new JsonObject().put(HEARTBEAT_AT, System.currentTimeMillis()).put(COPIED, copied)))
        .map(result -> result.getDocMatched() == 1);
  }

  /**
   * Records that the copy of this epoch is complete, and what it was copied from ({@code origin}: the
   * MySQL store's epoch, the topic's id, the consumer group). False when the marker of this epoch is gone:
   * the database was emptied while the bootstrap ran.
   */
  public Future<Boolean> markComplete(String epoch, JsonObject origin) {
    return mongo.updateCollection(META, new JsonObject().put(ID, generation.bootstrapMarker()).put(EPOCH, epoch),
            new JsonObject().put("$set", new JsonObject().put(COMPLETE, true).put("origin", origin)
                .put("copiedAt", java.time.Instant.now().toString())))
        .map(result -> result.getDocMatched() == 1);
  }

  /** The record of the last bootstrap, or null when there is none. */
  public Future<JsonObject> bootstrapRecord() {
    return mongo.findOne(META, new JsonObject().put(ID, generation.bootstrapMarker()), null);
  }

  /**
   * Records the topic a read model copied before the topic existed now follows. Only a record without a
   * topic takes one: the group reads a topic that appeared after the copy from its beginning.
   */
  public Future<Boolean> adoptTopic(String topicId) {
    return mongo.updateCollection(META, new JsonObject().put(ID, generation.bootstrapMarker()).put(COMPLETE, true)
                .put("origin.topicId", null),
            new JsonObject().put("$set", new JsonObject().put("origin.topicId", topicId)))
        .map(result -> result.getDocModified() == 1);
  }

  /** Counts a query process that found this read model current and joined it without a copy. */
  public Future<Void> markJoined() {
    return mongo.updateCollection(META, new JsonObject().put(ID, generation.bootstrapMarker()),
            new JsonObject().put("$inc", new JsonObject().put("joins", 1))
                .put("$set", new JsonObject().put("joinedAt", java.time.Instant.now().toString())))
        .mapEmpty();
  }

  public Future<Void> ping() {
    return mongo.runCommand("ping", new JsonObject().put("ping", 1)).mapEmpty();
  }

  /** {@code {_id}}, plus {@code version < v} when the server is trusted to check it atomically. */
  private JsonObject guard(long bid, long version) {
    JsonObject filter = new JsonObject().put(ID, bid);
    return atomicVersionGuard ? filter.put(BookFields.VERSION, new JsonObject().put("$lt", version)) : filter;
  }

  private Future<Void> bulk(Generation target, String collection, Batch batch) {
    if (batch.operations.isEmpty()) {
      return Future.succeededFuture();
    }
    return mongo.bulkWriteWithOptions(collection, batch.operations, new BulkWriteOptions().setOrdered(false))
        .<Void>mapEmpty()
        .recover(failure -> staleOrRefused(failure, target, batch));
  }

  /** The API's fields: the read model's own (search words, partition; _id unless a page needs it) left out. */
  private static JsonObject storedOnly(boolean withId) {
    JsonObject fields = new JsonObject().put(BookFilters.WORDS, 0).put(BookCounts.PARTITION, 0);
    return withId ? fields : fields.put(ID, 0);
  }

  private static JsonObject toApi(JsonObject document) {
    if (document != null) {
      document.remove(ID);
    }
    return document;
  }

  /**
   * Operations of an unordered bulk write that the server rejected one by one. With the atomic guard, a
   * filter that matched nothing because the stored version is as new or newer makes the upsert insert an
   * existing _id: that write was stale, already applied in effect. A rejection of a book whose stored
   * version is older is a refusal ({@link WriteRefusedException}); anything else (an outage, a write concern
   * error, a rejection that can pass, such as a stepped-down primary) fails as it is, to be retried.
   */
  private Future<Void> staleOrRefused(Throwable failure, Generation target, Batch batch) {
    MongoBulkWriteException rejected = bulkFailure(failure);
    if (rejected == null || rejected.getWriteConcernError() != null
        || rejected.getWriteErrors().stream().anyMatch(error -> PASSING_ERRORS.contains(error.getCode()))) {
      return isDuplicateKey(failure) ? Future.succeededFuture() : Future.failedFuture(failure);
    }
    Map<Long, String> reasons = new HashMap<>();
    Map<Long, Long> intended = new HashMap<>();
    for (BulkWriteError error : rejected.getWriteErrors()) {
      long bid = batch.bids.get(error.getIndex());
      intended.merge(bid, batch.versions.get(error.getIndex()), Math::max);
      reasons.put(bid, "MongoDB refused the write (code " + error.getCode() + "): " + error.getMessage());
    }
    return appliedVersions(target, intended.keySet()).compose(applied -> {
      intended.forEach((bid, version) -> {
        Long stored = applied.newest(bid);
        if (stored != null && stored >= version) {
          reasons.remove(bid);
        }
      });
      return reasons.isEmpty() ? Future.succeededFuture() : Future.failedFuture(new WriteRefusedException(reasons));
    });
  }

  private static MongoBulkWriteException bulkFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MongoBulkWriteException bulk) {
        return bulk;
      }
    }
    return null;
  }

  /** A lone duplicate key (not a bulk report): the guard's stale write, as above. */
  private static boolean isDuplicateKey(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MongoException mongoException && !(t instanceof MongoBulkWriteException)
          && mongoException.getCode() == DUPLICATE_KEY) {
        return true;
      }
    }
    return false;
  }
}
