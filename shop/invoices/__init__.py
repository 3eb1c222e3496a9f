"""VAT as data, and the invoices and credit notes the shop issues (see README)."""
