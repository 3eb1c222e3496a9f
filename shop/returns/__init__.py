"""The withdrawal function: the 14-day right to withdraw from a contract."""
