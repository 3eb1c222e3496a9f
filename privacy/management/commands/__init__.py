"""retention, release_legal_holds, rotate_keys."""
