package io.cqrsbooks.query.readmodel;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.List;

/**
 * The {@code dead_letters} collection: events set aside, one document per place on the topic
 * ({@code _id} = topic-partition-offset), newest first when listed.
 */
public final class DeadLetterStore {

  static final String DEAD_LETTERS = "dead_letters";
  private static final String ID = BookFilters.ID;
  private static final String AT = "at";

  private final MongoClient mongo;

  public DeadLetterStore(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** Stores a letter under {@code id}, so a batch retried after a failure stores it once; true when it is new. */
  public Future<Boolean> store(String id, JsonObject letter) {
    return mongo.replaceDocumentsWithOptions(DEAD_LETTERS, new JsonObject().put(ID, id), letter.copy().put(ID, id),
            new UpdateOptions().setUpsert(true))
        .map(result -> result.getDocUpsertedId() != null);
  }

  /** One page of letters, newest first, each with its {@code id}. */
  public Future<List<JsonObject>> page(int offset, int limit) {
    FindOptions options = new FindOptions().setSort(new JsonObject().put(AT, -1).put(ID, 1))
        .setSkip(offset).setLimit(limit);
    return mongo.findWithOptions(DEAD_LETTERS, new JsonObject(), options)
        .map(found -> found.stream().map(DeadLetterStore::withId).toList());
  }

  public Future<Long> count() {
    return mongo.count(DEAD_LETTERS, new JsonObject());
  }

  /** The letter stored under {@code id}, or null. */
  public Future<JsonObject> find(String id) {
    return mongo.findOne(DEAD_LETTERS, new JsonObject().put(ID, id), null).map(DeadLetterStore::withId);
  }

  /** Ids of every letter, oldest first: what "retry all" works through. */
  public Future<List<String>> ids() {
    FindOptions options = new FindOptions().setFields(new JsonObject().put(ID, 1)).setSort(new JsonObject().put(AT, 1));
    return mongo.findWithOptions(DEAD_LETTERS, new JsonObject(), options)
        .map(found -> found.stream().map(letter -> letter.getString(ID)).toList());
  }

  /** Records what happened on the letter's last retry; false when it is gone. */
  public Future<Boolean> noteRetry(String id, JsonObject attempt) {
    return mongo.updateCollection(DEAD_LETTERS, new JsonObject().put(ID, id),
            new JsonObject().put("$set", new JsonObject().put("lastRetry", attempt)).put("$inc", new JsonObject().put("retries", 1)))
        .map(result -> result.getDocMatched() == 1);
  }

  /** Removes a letter; false when there was none. */
  public Future<Boolean> remove(String id) {
    return mongo.removeDocument(DEAD_LETTERS, new JsonObject().put(ID, id)).map(result -> result.getRemovedCount() == 1);
  }

  private static JsonObject withId(JsonObject stored) {
    if (stored == null) {
      return null;
    }
    JsonObject letter = stored.copy();
    letter.put("id", letter.remove(ID));
    return letter;
  }
}
