namespace Booklore.Tasks.Services.Caches;

/// <summary>Size of a page cache in bytes and files, from the cache's own accounting.</summary>
public readonly record struct CacheStats(long Bytes, long Files);
