"""Text messages to customers: an outbox in the database, pluggable backends, retries."""
