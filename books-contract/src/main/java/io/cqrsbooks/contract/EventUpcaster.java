package io.cqrsbooks.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One step of the event format's history: turns an event of schema {@link #from()} into one of the next. */
public interface EventUpcaster {

  int from();

  /** Changes {@code event} (of schema {@link #from()}) in place into the next schema's form. */
  void upcast(ObjectNode event);
}
