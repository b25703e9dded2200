"""Chronicle: raw text to a versioned open dataset of entities and dated events."""

import os

os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
"""Arrow's buffers from the C library's malloc, which returns freed memory; it must be set
before pyarrow is imported (`pipeline.core.stage.use_system_allocator` says why)."""
