"""Warranty claims (RMA): opened by the customer on an order line, moved by staff."""
