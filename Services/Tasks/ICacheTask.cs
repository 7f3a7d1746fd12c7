namespace Booklore.Tasks.Services.Tasks;

/// <summary>A task that clears a page cache; its card and the API show the cache's current size.</summary>
public interface ICacheTask : IMaintenanceTask
{
    /// <summary>Raised when the cache's size changes, for example when a page is read or deleted.</summary>
    event Action? CacheSizeChanged;

    /// <summary>Returns the size from the cache's own accounting, without walking the folder.</summary>
    CacheSize GetCacheSize();
}

public sealed record CacheSize(long Bytes, long Files);
