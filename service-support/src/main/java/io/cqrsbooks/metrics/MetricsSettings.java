package io.cqrsbooks.metrics;

import io.cqrsbooks.config.Config;

/**
 * Whether this process collects metrics, and where {@code GET /metrics} is served: on each API port
 * ({@code port} 0, the default) or on a management port of its own.
 */
public record MetricsSettings(boolean enabled, int port) {

  public static MetricsSettings from(Config config) {
    return new MetricsSettings(config.flag("metrics.enabled"), config.portOrAny("metrics.port"));
  }

  public boolean onApiPorts() {
    return enabled && port == 0;
  }

  public boolean onOwnPort() {
    return enabled && port > 0;
  }
}
