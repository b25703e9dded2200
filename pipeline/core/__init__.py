"""What every stage shares: params, paths, the stage runner, io, caches, ids, parallelism."""
