namespace Booklore.Tasks.Services.Caches;

/// <summary>
/// Bytes and files per book folder of one cache, with the time each book was last read.
/// Keys are folder names under the cache root; files directly in the root use the empty key.
/// </summary>
internal sealed class PageCacheAccounting(Action onChanged)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, BookFolderUsage> _folders = new(StringComparer.Ordinal);
    private long _bytes;
    private long _files;

    public CacheStats Stats
    {
        get
        {
            lock (_gate)
            {
                return new CacheStats(_bytes, _files);
            }
        }
    }

    public void AddFile(string folder, long bytes)
    {
        lock (_gate)
        {
            var usage = GetOrAdd(folder);
            usage.Bytes += bytes;
            usage.Files++;
            _bytes += bytes;
            _files++;
        }

        onChanged();
    }

    public void RemoveFile(string folder, long bytes)
    {
        lock (_gate)
        {
            // A file deleted twice (a clear racing an eviction) must not push the totals below zero.
            if (_folders.TryGetValue(folder, out var usage))
            {
                var removed = Math.Min(bytes, usage.Bytes);
                usage.Bytes -= removed;
                usage.Files = Math.Max(0, usage.Files - 1);
            }

            _bytes = Math.Max(0, _bytes - bytes);
            _files = Math.Max(0, _files - 1);
        }

        onChanged();
    }

    public void MarkRead(string folder, DateTimeOffset readAt)
    {
        lock (_gate)
        {
            var usage = GetOrAdd(folder);
            if (readAt > usage.LastReadAt)
            {
                usage.LastReadAt = readAt;
            }
        }
    }

    public DateTimeOffset? GetLastReadAt(string folder)
    {
        lock (_gate)
        {
            return _folders.TryGetValue(folder, out var usage) ? usage.LastReadAt : null;
        }
    }

    /// <summary>Replaces the counts with those of a walk, keeping read times newer than the walk's.</summary>
    public void Replace(IReadOnlyDictionary<string, BookFolderUsage> walked)
    {
        lock (_gate)
        {
            foreach (var (folder, usage) in walked)
            {
                if (_folders.TryGetValue(folder, out var known) && known.LastReadAt > usage.LastReadAt)
                {
                    usage.LastReadAt = known.LastReadAt;
                }
            }

            _folders.Clear();
            foreach (var (folder, usage) in walked)
            {
                _folders[folder] = usage;
            }

            _bytes = walked.Values.Sum(usage => usage.Bytes);
            _files = walked.Values.Sum(usage => usage.Files);
        }

        onChanged();
    }

    /// <summary>Returns the book folders that hold bytes, least recently read first.</summary>
    public IReadOnlyList<string> FoldersByLastRead()
    {
        lock (_gate)
        {
            return _folders
                .Where(pair => pair.Key.Length > 0 && pair.Value.Bytes > 0)
                .OrderBy(pair => pair.Value.LastReadAt)
                .Select(pair => pair.Key)
                .ToList();
        }
    }

    private BookFolderUsage GetOrAdd(string folder)
    {
        if (!_folders.TryGetValue(folder, out var usage))
        {
            usage = new BookFolderUsage();
            _folders[folder] = usage;
        }

        return usage;
    }
}

/// <summary>Bytes and files in one book folder, and when the book was last read.</summary>
internal sealed class BookFolderUsage
{
    public long Bytes { get; set; }
    public long Files { get; set; }
    public DateTimeOffset LastReadAt { get; set; }
}
