package io.cqrsbooks.embedded;

import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * A collection's document positions in {@code _id} order, kept beside the stock {@code _id} index (a hash
 * map), so a query sorted by {@code _id} walks the documents in that order and stops at its limit, as
 * MongoDB walks its {@code _id} index. Only the collection's writers change it, under the collection's lock.
 *
 * <p>The map is kept newest (highest {@code _id}) first: a skip list steps forward in constant time but
 * finds each predecessor anew (a search from the top, about 17 comparisons at 100,000 books), and newest
 * first is the order of the default list and of its category pages.
 */
final class IdOrder {

  private static final String ID = "_id";

  private static final Comparator<Object> VALUES = ValueComparator.asc();
  private static final Comparator<Object> ORDER = IdOrder::compare;

  private final ConcurrentSkipListMap<Object, Integer> positions = new ConcurrentSkipListMap<>(ORDER.reversed());
  /** Documents whose {@code _id} cannot be a key here (null): while there are any, the order is not whole. */
  private int unordered;

  void added(Document document, int position) {
    Object id = document.get(ID);
    if (id == null) {
      unordered++;
    } else {
      positions.put(id, position);
    }
  }

  void removed(Document document) {
    Object id = document.get(ID);
    if (id == null) {
      unordered--;
    } else {
      positions.remove(id);
    }
  }

  /** Whether a sort can be answered from here: on {@code _id} alone, with every document in the order. */
  boolean serves(Document orderBy) {
    return unordered == 0 && orderBy != null && orderBy.size() == 1 && orderBy.get(ID) instanceof Number;
  }

  static boolean descending(Document orderBy) {
    return ((Number) orderBy.get(ID)).intValue() < 0;
  }

  /**
   * Positions in {@code _id} order, narrowed to the bounds the filter itself puts on {@code _id} (at its top
   * level or in a top-level {@code $and}). The filter is still applied to each document after this, so the
   * narrowing only has to keep every match: it does, since every match lies within each of the bounds.
   */
  Stream<Integer> positions(Document query, boolean descending) {
    Bound low = null;
    Bound high = null;
    for (Document condition : idBounds(query)) {
      for (String operator : condition.keySet()) {
        Bound bound = new Bound(condition.get(operator), operator.endsWith("e"));
        if (operator.startsWith("$gt")) {
          low = tighter(low, bound, 1);
        } else {
          high = tighter(high, bound, -1);
        }
      }
    }
    // The map runs from the highest _id down: a range is taken from its high end to its low end.
    NavigableMap<Object, Integer> range = positions;
    if (low != null && high != null) {
      if (ORDER.compare(low.value(), high.value()) > 0) {
        return Stream.empty();
      }
      range = positions.subMap(high.value(), high.included(), low.value(), low.included());
    } else if (low != null) {
      range = positions.headMap(low.value(), low.included());
    } else if (high != null) {
      range = positions.tailMap(high.value(), high.included());
    }
    return (descending ? range : range.descendingMap()).values().stream();
  }

  /**
   * MongoDB's order of values ({@link ValueComparator}), with a shortcut for two 64-bit integers (the read
   * model's bids), which it would compare through their normalised forms: the same answer, a fraction of
   * the cost, on the comparisons every insert and every range lookup makes.
   */
  private static int compare(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    return VALUES.compare(a, b);
  }

  /** One end of an {@code _id} range. */
  private record Bound(Object value, boolean included) {
  }

  /** Of two bounds on the same end, the one that lets fewer keys through; {@code side} is 1 for lower bounds, -1 for upper. */
  private static Bound tighter(Bound current, Bound candidate, int side) {
    if (current == null) {
      return candidate;
    }
    int further = ORDER.compare(candidate.value(), current.value()) * side;
    return further > 0 || (further == 0 && !candidate.included()) ? candidate : current;
  }

  private static List<Document> idBounds(Document query) {
    Stream<Object> conditions = Stream.of(query.get(ID));
    if (query.get("$and") instanceof Collection<?> terms) {
      conditions = Stream.concat(conditions, terms.stream()
          .filter(Document.class::isInstance).map(term -> ((Document) term).get(ID)));
    }
    return conditions.filter(IdOrder::isComparisonOnly).map(Document.class::cast).toList();
  }

  /** Only comparisons with a plain value: anything else ({@code $not}, {@code $in}, a list) narrows nothing. */
  private static boolean isComparisonOnly(Object condition) {
    if (!(condition instanceof Document document) || document.isEmpty()) {
      return false;
    }
    for (String operator : document.keySet()) {
      Object value = document.get(operator);
      boolean comparison = operator.equals("$gt") || operator.equals("$gte") || operator.equals("$lt") || operator.equals("$lte");
      if (!comparison || value == null || value instanceof Document || value instanceof Collection) {
        return false;
      }
    }
    return true;
  }
}
