package io.cqrsbooks.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link LoggingSettings} to logback once the configuration is read (until then, logback.xml's plain
 * text): JSON lines carry the timestamp, level, thread, logger, the formatted message, key-value pairs (such
 * as {@code requestId}) and the exception, one object per line.
 */
final class Logging {

  private Logging() {
  }

  static void apply(LoggingSettings settings) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    if (settings.json()) {
      JsonEncoder encoder = new JsonEncoder();
      encoder.setContext(context);
      encoder.setWithFormattedMessage(true);
      encoder.setWithMessage(false);
      encoder.setWithArguments(false);
      encoder.setWithSequenceNumber(false);
      encoder.setWithNanoseconds(false);
      encoder.setWithContext(false);
      encoder.start();
      ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
      appender.setContext(context);
      appender.setName("JSON");
      appender.setEncoder(encoder);
      appender.start();
      root.detachAndStopAllAppenders();
      root.addAppender(appender);
    }
    settings.debug().forEach(name -> context.getLogger(name).setLevel(Level.DEBUG));
  }
}
