"""Checkout: the delivery address and method, placing the order with its stock
reservation, and the pages that take the shopper to payment and back."""
