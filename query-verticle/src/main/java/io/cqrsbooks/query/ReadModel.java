package io.cqrsbooks.query;

import com.mongodb.MongoException;
import io.cqrsbooks.contract.Book;
import io.cqrsbooks.contract.BookFields;
import io.cqrsbooks.contract.BookJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexModel;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The MongoDB read model: collections, indexes, filters and every guarded write, in one place.
 *
 * <p>{@code books} holds one document per live book ({@code _id} = bid). {@code book_tombstones}
 * remembers the version at which a book was deleted, so a late or replayed older event cannot bring
 * it back. Writes are version-guarded: a write that is not newer than what is stored changes nothing.
 * Only features both MongoDB and mongo-java-server support are used: replace with upsert, $lt/$gte/$lte,
 * $in/$nin, $or, $regex with the i option, sort/skip/limit, count, single-field indexes.
 */
public final class ReadModel {

  static final String BOOKS = "books";
  static final String TOMBSTONES = "book_tombstones";
  static final String DEAD_LETTERS = "dead_letters";
  private static final String ID = "_id";
  private static final int DUPLICATE_KEY = 11000;

  private final MongoClient mongo;

  public ReadModel(MongoClient mongo) {
    this.mongo = mongo;
  }

  Future<Void> ensureIndexes() {
    List<IndexModel> indexes = BookQuery.SORTABLE.stream()
        .filter(field -> !field.equals(BookFields.BID))
        .map(field -> new IndexModel(new JsonObject().put(field, 1).put(ID, 1),
            new IndexOptions().name("books_by_" + field)))
        .collect(Collectors.toList());
    indexes.add(new IndexModel(new JsonObject().put(BookFields.CATEGORY, 1),
        new IndexOptions().name("books_by_category")));
    return mongo.createIndexes(BOOKS, indexes);
  }

  /** Stores the book unless the read model already holds this version or a newer one; true when stored. */
  Future<Boolean> upsertIfNewer(Book book) {
    JsonObject document = BookJson.toJson(book).put(ID, book.bid());
    return mongo.replaceDocumentsWithOptions(BOOKS, olderThan(book.bid(), book.version()), document,
            new UpdateOptions().setUpsert(true))
        .map(true)
        .recover(ReadModel::staleIsNotAnError);
  }

  /** Records the deletion (version-guarded) and removes the book if what is stored is older. */
  Future<Boolean> removeIfNewer(long bid, long version) {
    JsonObject tombstone = new JsonObject().put(ID, bid).put(BookFields.VERSION, version);
    return mongo.replaceDocumentsWithOptions(TOMBSTONES, olderThan(bid, version), tombstone,
            new UpdateOptions().setUpsert(true))
        .map(true)
        .recover(ReadModel::staleIsNotAnError)
        .compose(recorded -> recorded
            ? mongo.removeDocuments(BOOKS, olderThan(bid, version)).map(true)
            : Future.succeededFuture(false));
  }

  /** Deletion versions of those books that have a tombstone. */
  Future<Map<Long, Long>> tombstones(Collection<Long> bids) {
    JsonObject filter = new JsonObject().put(ID, new JsonObject().put("$in", new JsonArray(List.copyOf(bids))));
    return mongo.find(TOMBSTONES, filter).map(found -> found.stream().collect(Collectors.toMap(
        doc -> doc.getLong(ID), doc -> doc.getLong(BookFields.VERSION))));
  }

  /** The newest version of the book the read model has applied, live or deleted; 0 when none. */
  Future<Long> appliedVersion(long bid) {
    JsonObject byId = new JsonObject().put(ID, bid);
    JsonObject versionOnly = new JsonObject().put(BookFields.VERSION, 1);
    return mongo.findOne(BOOKS, byId, versionOnly).compose(live -> live != null
        ? Future.succeededFuture(live.getLong(BookFields.VERSION))
        : mongo.findOne(TOMBSTONES, byId, versionOnly)
            .map(deleted -> deleted == null ? 0L : deleted.getLong(BookFields.VERSION)));
  }

  /** Removes live books with {@code after < bid <= upTo} that are not among {@code present}. */
  Future<Long> removeLiveExcept(long after, long upTo, Collection<Long> present) {
    JsonObject range = new JsonObject().put("$gt", after).put("$lte", upTo)
        .put("$nin", new JsonArray(List.copyOf(present)));
    return mongo.removeDocuments(BOOKS, new JsonObject().put(ID, range)).map(result -> result.getRemovedCount());
  }

  /** Up to {@code limit} bids of live books above {@code after}, ascending. */
  Future<List<Long>> liveBidsAfter(long after, int limit) {
    FindOptions options = new FindOptions().setFields(new JsonObject().put(ID, 1))
        .setSort(new JsonObject().put(ID, 1)).setLimit(limit);
    return mongo.findWithOptions(BOOKS, new JsonObject().put(ID, new JsonObject().put("$gt", after)), options)
        .map(found -> found.stream().map(doc -> doc.getLong(ID)).toList());
  }

  Future<Long> removeBooks(Collection<Long> bids) {
    if (bids.isEmpty()) {
      return Future.succeededFuture(0L);
    }
    JsonObject filter = new JsonObject().put(ID, new JsonObject().put("$in", new JsonArray(List.copyOf(bids))));
    return mongo.removeDocuments(BOOKS, filter).map(result -> result.getRemovedCount());
  }

  Future<JsonObject> findBook(long bid) {
    return mongo.findOne(BOOKS, new JsonObject().put(ID, bid), withoutId()).map(ReadModel::toApi);
  }

  Future<List<JsonObject>> findBooks(BookQuery query) {
    FindOptions options = new FindOptions()
        .setFields(withoutId())
        .setSort(query.sort())
        .setSkip(query.offset())
        .setLimit(query.limit());
    return mongo.findWithOptions(BOOKS, query.filter(), options);
  }

  Future<Long> countBooks(BookQuery query) {
    return mongo.count(BOOKS, query.filter());
  }

  Future<Void> deadLetter(JsonObject letter) {
    return mongo.insert(DEAD_LETTERS, letter).mapEmpty();
  }

  Future<Void> ping() {
    return mongo.runCommand("ping", new JsonObject().put("ping", 1)).mapEmpty();
  }

  private static JsonObject olderThan(long bid, long version) {
    return new JsonObject().put(ID, bid).put(BookFields.VERSION, new JsonObject().put("$lt", version));
  }

  private static JsonObject withoutId() {
    return new JsonObject().put(ID, 0);
  }

  private static JsonObject toApi(JsonObject document) {
    if (document != null) {
      document.remove(ID);
    }
    return document;
  }

  /**
   * The guard filter matched nothing because the stored version is as new or newer, so the upsert tried
   * to insert an existing _id: the event is stale and has already been applied in effect.
   */
  private static Future<Boolean> staleIsNotAnError(Throwable failure) {
    return isDuplicateKey(failure) ? Future.succeededFuture(false) : Future.failedFuture(failure);
  }

  private static boolean isDuplicateKey(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MongoException mongoException && mongoException.getCode() == DUPLICATE_KEY) {
        return true;
      }
      if (t.getMessage() != null && t.getMessage().contains("E11000")) {
        return true;
      }
    }
    return false;
  }
}
