package io.cqrsbooks.command;

import io.cqrsbooks.contract.Book;
import io.cqrsbooks.contract.BookFields;
import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.contract.BookEventType;
import io.cqrsbooks.contract.BookJson;
import io.cqrsbooks.http.ApiException;
import io.cqrsbooks.lifecycle.InFlight;
import io.cqrsbooks.store.BookRows;
import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;

/**
 * The write model. Each command is one MySQL transaction that changes the {@code books} row and
 * stores the matching event in {@code outbox}; after the commit the relay is woken to publish it.
 * No dual write.
 */
final class BookStore {

  private static final Logger LOG = LoggerFactory.getLogger(BookStore.class);
  private static final int DUPLICATE_ENTRY = 1062;

  private final Pool pool;
  private final Runnable wakeRelay;
  private final InFlight commands = new InFlight();

  /** @param wakeRelay called after each commit, so the relay publishes without waiting for its tick */
  BookStore(Pool pool, Runnable wakeRelay) {
    this.pool = pool;
    this.wakeRelay = wakeRelay;
  }

  /** @param requestId the HTTP request's id ({@code X-Request-Id}), kept on the outbox row for the event's journey */
  Future<BookEvent> create(BookInput input, String requestId) {
    Instant now = now();
    return inTransaction(connection -> connection.preparedQuery(CommandSql.INSERT_BOOK)
        .execute(CommandSql.editableValues(input).addValue(utc(now)).addValue(utc(now)))
        .compose(inserted -> {
          long bid = inserted.property(MySQLClient.LAST_INSERTED_ID);
          Book book = toBook(bid, input, 1, now, now);
          return appendToOutbox(connection, BookEvent.of(newEventId(), BookEventType.BookCreated, bid, 1, now, book),
              requestId);
        }));
  }

  Future<BookEvent> replace(long bid, BookInput input, OptionalLong expectedVersion, String requestId) {
    Instant now = now();
    return inTransaction(connection -> lockBook(connection, bid, expectedVersion)
        .compose(current -> {
          long version = current.version() + 1;
          Book book = toBook(bid, input, version, current.createdAt(), now);
          return connection.preparedQuery(CommandSql.UPDATE_BOOK)
              .execute(CommandSql.editableValues(input).addValue(version).addValue(utc(now)).addValue(bid))
              .compose(updated -> appendToOutbox(connection,
                  BookEvent.of(newEventId(), BookEventType.BookUpdated, bid, version, now, book), requestId));
        }));
  }

  Future<BookEvent> delete(long bid, OptionalLong expectedVersion, String requestId) {
    Instant now = now();
    return inTransaction(connection -> lockBook(connection, bid, expectedVersion)
        .compose(current -> connection.preparedQuery(CommandSql.DELETE_BOOK).execute(Tuple.of(bid))
            .compose(deleted -> appendToOutbox(connection,
                BookEvent.of(newEventId(), BookEventType.BookDeleted, bid, current.version() + 1, now, null),
                requestId))));
  }

  /**
   * Runs the command in one transaction. A failure before the commit rolls it back: nothing was written. A
   * commit whose answer never came (the connection dropped) may or may not have been applied, and says so.
   */
  private Future<BookEvent> inTransaction(Function<SqlConnection, Future<BookEvent>> command) {
    Future<BookEvent> outcome = pool.getConnection().compose(connection -> connection.begin().compose(transaction -> command.apply(connection)
            .transform(done -> done.succeeded()
                ? transaction.commit().transform(committed -> committed.succeeded()
                    ? Future.succeededFuture(done.result())
                    : Future.<BookEvent>failedFuture(ApiException.outcomeUnknown()))
                : transaction.rollback().transform(rolledBack -> Future.<BookEvent>failedFuture(done.cause()))))
            .eventually(connection::close))
        .recover(BookStore::isbnTaken)
        .onSuccess(committed -> wakeRelay.run());
    // Tracked after the wake-up is registered: a command counts as settled once its wake-up has been sent.
    return commands.track(outcome);
  }

  /**
   * Done once every command started so far has finished and woken the relay. The HTTP server's shutdown can
   * complete while a command's transaction still runs (CleanStopTest once saw its wake-up arrive after the
   * relay had stopped), so the API also waits here before the relay stops.
   */
  Future<Void> settled() {
    return commands.settled();
  }

  /** The books table's one unique key besides the bid is the ISBN: a duplicate entry means it is taken. */
  private static Future<BookEvent> isbnTaken(Throwable failure) {
    return failure instanceof MySQLException mysql && mysql.getErrorCode() == DUPLICATE_ENTRY
        ? Future.failedFuture(ApiException.taken(BookFields.ISBN, "another book has this ISBN"))
        : Future.failedFuture(failure);
  }

  private Future<Book> lockBook(SqlConnection connection, long bid, OptionalLong expectedVersion) {
    return connection.preparedQuery(CommandSql.LOCK_BOOK).execute(Tuple.of(bid)).map(rows -> {
      if (rows.size() == 0) {
        throw ApiException.notFound("book " + bid + " does not exist");
      }
      Book current = BookRows.fromRow(rows.iterator().next());
      if (expectedVersion.isPresent() && expectedVersion.getAsLong() != current.version()) {
        throw ApiException.versionChanged(Preconditions.IF_MATCH, expectedVersion.getAsLong(), current.version());
      }
      return current;
    });
  }

  private static Future<BookEvent> appendToOutbox(SqlConnection connection, BookEvent event, String requestId) {
    Tuple row = Tuple.of(event.eventId(), event.bid(), event.version(), event.type().name(),
        BookJson.encode(event), utc(event.time()), requestId);
    return connection.preparedQuery(CommandSql.INSERT_OUTBOX).execute(row).map(event)
        .onSuccess(stored -> LOG.atDebug().addKeyValue("requestId", requestId).addKeyValue("bid", event.bid())
            .addKeyValue("version", event.version()).addKeyValue("eventId", event.eventId())
            .log("{} of book {} at version {} written to the outbox", event.type(), event.bid(), event.version()));
  }

  private static Book toBook(long bid, BookInput input, long version, Instant createdAt, Instant updatedAt) {
    return new Book(bid, input.title(), input.author(), input.category(), input.pages(), input.price(),
        input.publishedDate(), input.description(), input.isbn(), version, createdAt, updatedAt);
  }

  /** MySQL keeps microseconds; so does every timestamp we hand out, so both sides agree exactly. */
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  private static LocalDateTime utc(Instant instant) {
    return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static String newEventId() {
    return UUID.randomUUID().toString();
  }
}
