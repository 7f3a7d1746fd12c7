namespace Booklore.Tasks.Services.Caches;

/// <summary>Progress of a cache clear: files handled of the total found, and bytes freed so far.</summary>
public readonly record struct CacheClearProgress(long FilesDone, long FilesTotal, long BytesFreed);

/// <summary>A file that a clear did not delete, with the reason.</summary>
public sealed record CacheClearFailure(string Path, string Reason);

/// <summary>
/// Outcome of a cache clear. <see cref="Cancelled"/> is true when the clear stopped early; the
/// counts then cover the files deleted before it stopped.
/// </summary>
public sealed record CacheClearResult(
    long FilesDeleted,
    long BytesFreed,
    IReadOnlyList<CacheClearFailure> Failures,
    bool Cancelled);
