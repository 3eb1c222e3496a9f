"""The customer's address book: their own entries only, one service to save one."""
