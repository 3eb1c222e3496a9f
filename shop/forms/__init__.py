"""Forms, one module per part of the shop."""
