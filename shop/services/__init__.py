"""Writes with business rules, one module per part of the shop."""
