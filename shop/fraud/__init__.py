"""Fraud rules (as data, `rules`) and the verdict on a newly paid order (`services`).
Fraud only judges: the payment services hold the order, staff decide."""
