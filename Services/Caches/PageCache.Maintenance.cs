namespace Booklore.Tasks.Services.Caches;

/// <summary>Walking, clearing and evicting: the work on a cache that runs outside page requests.</summary>
public sealed partial class PageCache
{
    /// <summary>
    /// Walks the cache folder and replaces the accounting with what it finds. A book's last read
    /// time starts as the newest write time in its folder, because read times are kept in memory only.
    /// </summary>
    public async Task RecalculateAsync(CancellationToken cancellationToken)
    {
        var startedAt = _timeProvider.GetTimestamp();
        var walked = await Task.Run(() => Walk(cancellationToken), cancellationToken);

        // NOTE: a page written while the walk runs can be counted twice or not at all until the next walk.
        _accounting.Replace(walked);
        var stats = Stats;
        var elapsed = _timeProvider.GetElapsedTime(startedAt);
        CacheLog.Walked(_logger, Kind, stats.Files, stats.Bytes, (long)elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// Deletes every file in the cache and then the empty book folders, and walks the cache to
    /// correct its accounting. Cancelling stops between files and returns the partial counts.
    /// </summary>
    public async Task<CacheClearResult> ClearAsync(
        IProgress<CacheClearProgress>? progress,
        CancellationToken cancellationToken)
    {
        CacheLog.Clearing(_logger, Kind, RootPath);
        var result = await Task.Run(
            () => _clearer.Clear(RootPath, removeFolder: false, progress, cancellationToken),
            CancellationToken.None);

        // A cancelled clear ends at once: the accounting already dropped each deleted file, and
        // walking the files left (possibly tens of thousands) would delay the end by seconds.
        if (!result.Cancelled)
        {
            await RecalculateAsync(CancellationToken.None);
        }

        CacheLog.Cleared(_logger, Kind, result.FilesDeleted, result.BytesFreed, result.Failures.Count, result.Cancelled);
        return result;
    }

    /// <summary>Deletes the cached files of one book and its folder.</summary>
    public CacheClearResult DeleteBook(int bookId) =>
        _clearer.Clear(GetBookFolder(bookId), removeFolder: true, progress: null, CancellationToken.None);

    /// <summary>
    /// Deletes whole book folders, least recently read first, until at least
    /// <paramref name="bytesToFree"/> bytes are freed. Skips <paramref name="keepFolder"/>.
    /// Returns the bytes freed, or 0 when another eviction is already running.
    /// </summary>
    internal long Evict(long bytesToFree, string? keepFolder)
    {
        if (!_evictionGate.TryEnter())
        {
            return 0;
        }

        try
        {
            long freed = 0;
            foreach (var folder in _accounting.FoldersByLastRead())
            {
                if (freed >= bytesToFree)
                {
                    break;
                }

                if (folder == keepFolder)
                {
                    continue;
                }

                var result = _clearer.Clear(Path.Combine(RootPath, folder), removeFolder: true, null, CancellationToken.None);
                freed += result.BytesFreed;
                CacheLog.Evicted(_logger, folder, Kind, result.BytesFreed);
            }

            return freed;
        }
        finally
        {
            _evictionGate.Exit();
        }
    }

    private void EnforceBudget(string keepFolder)
    {
        if (BudgetBytes is { } budget && Stats.Bytes > budget)
        {
            Evict(Stats.Bytes - budget, keepFolder);
        }
    }

    private Dictionary<string, BookFolderUsage> Walk(CancellationToken cancellationToken)
    {
        var folders = new Dictionary<string, BookFolderUsage>(StringComparer.Ordinal);
        if (!Directory.Exists(RootPath))
        {
            return folders;
        }

        var rootPrefix = CacheTree.ResolveRoot(RootPath);
        var usage = new BookFolderUsage();
        var key = (string?)null;
        foreach (var entry in CacheTree.EnumerateFiles(rootPrefix))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entryKey = CacheTree.FolderKey(entry.FullPath, rootPrefix);
            if (key is null || !entryKey.SequenceEqual(key))
            {
                key = entryKey.ToString();
                usage = folders.TryGetValue(key, out var known) ? known : folders[key] = new BookFolderUsage();
            }

            usage.Bytes += entry.Length;
            usage.Files++;
            if (entry.LastWriteTime > usage.LastReadAt)
            {
                usage.LastReadAt = entry.LastWriteTime;
            }
        }

        return folders;
    }
}
