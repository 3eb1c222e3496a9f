"""Data subject rights: export (access and portability), erasure with its receipt,
requests to the Privacy Officer with their deadlines, the disclosure ledger, and their
views, forms and admin."""
