package io.cqrsbooks.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The event format's history as a chain of small steps, one per schema version: an event of any older
 * schema is brought to the reader's by applying each step from its version on, in order.
 */
public final class EventUpcasters {

  /** Step i turns schema i + 1 into schema i + 2. */
  static final List<EventUpcaster> CHAIN = List.of(new IsbnAdded());

  private EventUpcasters() {
  }

  /** Brings {@code event} from schema {@code version} to {@code target} (no further than the chain knows). */
  static void upcast(ObjectNode event, int version, int target) {
    if (!event.has("readableFrom")) {
      // Written before the field existed: readable by its own schema's readers.
      event.put("readableFrom", version);
    }
    for (int from = version; from < target; from++) {
      EventUpcaster step = CHAIN.get(from - 1);
      if (step.from() != from) {
        throw new IllegalStateException("the upcaster chain is out of order at schema " + from);
      }
      step.upcast(event);
    }
    event.put("schemaVersion", target);
  }
}
