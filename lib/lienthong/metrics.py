"""Prometheus metrics shared by every process (exposed on ``/metrics``).

Why this exists: throughput, failures and lag are named the same in every service, so one
dashboard reads them all. Labels never carry personal data: topic, consumer, event type.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

EVENTS_CONSUMED = Counter(
    "lienthong_events_consumed_total", "Events applied by a consumer", ["consumer", "event_type"]
)
EVENTS_DUPLICATE = Counter(
    "lienthong_events_duplicate_total", "Redelivered events dropped by the inbox", ["consumer"]
)
EVENTS_DEAD_LETTERED = Counter(
    "lienthong_events_dead_lettered_total",
    "Events sent to a dead-letter topic",
    ["consumer", "topic"],
)
HANDLER_FAILURES = Counter(
    "lienthong_handler_failures_total", "Handler attempts that raised", ["consumer"]
)
CONSUMER_LAG = Gauge(
    "lienthong_consumer_lag",
    "Messages behind the partition end",
    ["consumer", "topic", "partition"],
)
HANDLE_SECONDS = Histogram(
    "lienthong_handle_seconds",
    "Time to apply one event",
    ["consumer"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
OUTBOX_PUBLISHED = Counter("lienthong_outbox_published_total", "Outbox rows published to Kafka")
OUTBOX_BACKLOG = Gauge("lienthong_outbox_backlog", "Outbox rows not yet published")
