package io.cqrsbooks.query.readmodel;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which generation of the read model queries read, and the rebuild writing the next one, in one document
 * of {@code read_model_meta} that every query process reads. Only one rebuild runs at a time: starting one
 * is a conditional update, so two requests (on one process or two) cannot both win.
 */
public final class Generations {

  private static final String ID = BookFilters.ID;
  private static final String DOCUMENT = "generations";
  private static final String CURRENT = "current";
  private static final String BUILDING = "building";
  private static final String REBUILD = "rebuild";

  private final MongoClient mongo;
  private final Duration staleAfter;

  /** @param staleAfter a rebuild whose runner has not reported for this long is taken as dead */
  public Generations(MongoClient mongo, Duration staleAfter) {
    this.mongo = mongo;
    this.staleAfter = staleAfter;
  }

  /**
   * What the document says now.
   *
   * @param building the generation a live rebuild is writing, empty when none runs (or its runner died)
   * @param rebuild the last rebuild's record ({@code state}, who asked, when, progress, error), or null
   */
  public record State(Generation current, Optional<Generation> building, JsonObject rebuild) {
  }

  public Future<State> read() {
    return mongo.findOne(ReadModel.META, new JsonObject().put(ID, DOCUMENT), null).map(this::stateOf);
  }

  /**
   * Marks {@code next} as being built, by {@code who}; false when another live rebuild holds the document.
   */
  public Future<Boolean> startBuilding(Generation next, String who) {
    Instant now = Instant.now();
    JsonObject free = new JsonObject().put(ID, DOCUMENT).put("$or", new JsonArray()
        .add(new JsonObject().put(BUILDING, new JsonObject().put("$exists", false)))
        .add(new JsonObject().put(REBUILD + ".heartbeatAt", new JsonObject().put("$lt", now.minus(staleAfter).toString()))));
    JsonObject claim = new JsonObject().put("$set", new JsonObject()
        .put(BUILDING, next.number())
        .put(REBUILD, new JsonObject().put("state", "copying").put("generation", next.number()).put("requestedBy", who)
            .put("startedAt", now.toString()).put("heartbeatAt", now.toString()).put("copied", 0)));
    return ensureDocument().compose(exists -> mongo.updateCollection(ReadModel.META, free, claim))
        .map(result -> result.getDocMatched() == 1);
  }

  /** The runner is alive and has copied this many books. */
  public Future<Void> heartbeat(Generation building, long copied) {
    return mongo.updateCollection(ReadModel.META, new JsonObject().put(ID, DOCUMENT).put(BUILDING, building.number()),
        new JsonObject().put("$set", new JsonObject().put(REBUILD + ".heartbeatAt", Instant.now().toString())
            .put(REBUILD + ".copied", copied))).mapEmpty();
  }

  /** Queries read {@code built} from now on; the rebuild is over. */
  public Future<Void> switchTo(Generation built, long copied) {
    return finish(built, new JsonObject().put(CURRENT, built.number()).put(REBUILD + ".state", "switched")
        .put(REBUILD + ".copied", copied));
  }

  /** The rebuild of {@code building} failed; the current generation keeps serving. */
  public Future<Void> failed(Generation building, String reason) {
    return finish(building, new JsonObject().put(REBUILD + ".state", "failed").put(REBUILD + ".error", reason));
  }

  private Future<Void> finish(Generation building, JsonObject set) {
    set.put(REBUILD + ".finishedAt", Instant.now().toString());
    return mongo.updateCollection(ReadModel.META, new JsonObject().put(ID, DOCUMENT).put(BUILDING, building.number()),
        new JsonObject().put("$set", set).put("$unset", new JsonObject().put(BUILDING, ""))).mapEmpty();
  }

  private Future<Void> ensureDocument() {
    return mongo.findOne(ReadModel.META, new JsonObject().put(ID, DOCUMENT), null).compose(found -> found != null
        ? Future.succeededFuture()
        : mongo.insert(ReadModel.META, new JsonObject().put(ID, DOCUMENT).put(CURRENT, 0)).<Void>mapEmpty()
            // Another process inserted it first: as good.
            .recover(failure -> mongo.findOne(ReadModel.META, new JsonObject().put(ID, DOCUMENT), null)
                .compose(again -> again != null ? Future.succeededFuture() : Future.failedFuture(failure))));
  }

  private State stateOf(JsonObject document) {
    if (document == null) {
      return new State(new Generation(0), Optional.empty(), null);
    }
    JsonObject rebuild = document.getJsonObject(REBUILD);
    Optional<Generation> building = Optional.ofNullable(document.getInteger(BUILDING)).map(Generation::new)
        .filter(live -> rebuild != null && !isStale(rebuild));
    return new State(new Generation(document.getInteger(CURRENT, 0)), building, rebuild);
  }

  private boolean isStale(JsonObject rebuild) {
    String heartbeat = rebuild.getString("heartbeatAt");
    return heartbeat == null || Instant.parse(heartbeat).isBefore(Instant.now().minus(staleAfter));
  }
}
