"""Chronicle: raw text to a versioned open dataset of entities and dated events."""
