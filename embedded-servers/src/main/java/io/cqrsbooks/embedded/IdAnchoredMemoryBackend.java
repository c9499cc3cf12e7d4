package io.cqrsbooks.embedded;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * mongo-java-server's memory backend, with changes that answer exactly as it does, only cheaper:
 * <ul>
 *   <li>A filter naming one {@code _id} value is served from the {@code _id} index whatever else it holds,
 *   as MongoDB serves it. The stock backend uses an index only when the filter's fields are exactly the
 *   index's, so the read model's guarded write {@code {_id: bid, version: {$lt: v}}} scanned every book.
 *   The other conditions are still checked, by the same matcher, on the one document the index finds.</li>
 *   <li>A query sorted by {@code _id} alone walks the documents in {@code _id} order ({@link IdOrder}) and
 *   stops at its limit, as MongoDB walks its {@code _id} index: the newest-first list page reads 21 books,
 *   not 100,000.</li>
 *   <li>Regular expressions in reads are compiled once per command ({@link CompiledRegexes}), not once per
 *   value checked.</li>
 *   <li>Any other sorted query with a limit keeps only the first {@code skip + limit} matches as it scans
 *   ({@link TopMatches}) instead of sorting every match.</li>
 * </ul>
 */
final class IdAnchoredMemoryBackend extends MemoryBackend {

  private static final String ID = "_id";

  @Override
  public MemoryDatabase openOrCreateDatabase(String name) {
    return new Database(name, getCursorRegistry());
  }

  private static final class Database extends MemoryDatabase {

    Database(String name, CursorRegistry cursors) {
      super(name, cursors);
    }

    @Override
    public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver databases,
        Oplog oplog) {
      boolean reads = command.equalsIgnoreCase("find") || command.equalsIgnoreCase("aggregate")
          || command.equalsIgnoreCase("count");
      return super.handleCommand(channel, command, reads ? CompiledRegexes.in(query) : query, databases, oplog);
    }

    @Override
    protected MemoryCollection openOrCreateCollection(String name, CollectionOptions options) {
      return new IdAnchoredCollection(this, name, options, cursorRegistry);
    }
  }

  private static final class IdAnchoredCollection extends MemoryCollection {

    private final IdOrder idOrder = new IdOrder();

    IdAnchoredCollection(MongoDatabase database, String name, CollectionOptions options, CursorRegistry cursors) {
      super(database, name, options, cursors);
    }

    @Override
    protected Integer addDocumentInternal(Document document) {
      Integer position = super.addDocumentInternal(document);
      idOrder.added(document, position);
      return position;
    }

    @Override
    protected void removeDocument(Integer position) {
      Document document = getDocument(position);
      super.removeDocument(position);
      if (document != null) {
        idOrder.removed(document);
      }
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int skip, int limit, int batchSize,
        Document projection) {
      if (query.size() > 1 && isSingleValue(query.get(ID))) {
        Document byId = new Document(ID, query.get(ID));
        for (Index<Integer> index : getIndexes()) {
          if (index.canHandle(byId)) {
            return matchDocuments(query, index.getPositions(byId), orderBy, skip, limit, batchSize, projection);
          }
        }
      }
      if (idOrder.serves(orderBy) && getIndexes().stream().noneMatch(index -> index.canHandle(query))) {
        // Already in order: the stock path only filters, skips, limits and projects, and stops at the limit.
        Stream<Document> inOrder = idOrder.positions(query, IdOrder.descending(orderBy))
            .map(this::getDocument).filter(Objects::nonNull);
        return super.matchDocumentsFromStream(query, inOrder, skip, limit, batchSize, null, projection);
      }
      return super.queryDocuments(query, orderBy, skip, limit, batchSize, projection);
    }

    @Override
    protected QueryResult matchDocumentsFromStream(Document query, Stream<Document> documents, int skip, int limit,
        int batchSize, Comparator<Document> order, Document fieldSelector) {
      long keep = (long) skip + limit;
      if (order == null || limit <= 0 || keep > TopMatches.MAX_KEPT) {
        return super.matchDocumentsFromStream(query, documents, skip, limit, batchSize, order, fieldSelector);
      }
      List<Document> first = TopMatches.select(documents.filter(document -> documentMatchesQuery(document, query)),
          order, (int) keep);
      // Already matched and in order: the stock path only skips, limits and projects them.
      return super.matchDocumentsFromStream(query, first.stream(), skip, limit, batchSize, null, fieldSelector);
    }

    private static boolean isSingleValue(Object id) {
      return id != null
          && !(id instanceof Document)
          && !(id instanceof Collection)
          && !BsonRegularExpression.isRegularExpression(id);
    }
  }
}
