"""What an operator's tools read: health probes and Prometheus metrics. Neither answer
carries personal data: counts, states and durations only."""
