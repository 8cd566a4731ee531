/**
 * Micrometer binders for netring: {@link io.netring.metrics.CaptureMetrics},
 * {@link io.netring.metrics.InjectorMetrics}, {@link io.netring.metrics.FlowTableMetrics} and
 * {@link io.netring.metrics.KafkaPublisherMetrics}. Bind them to any {@code MeterRegistry}
 * (Prometheus, OTLP, JMX …); docs/OBSERVABILITY.md lists the meters.
 */
package io.netring.metrics;
