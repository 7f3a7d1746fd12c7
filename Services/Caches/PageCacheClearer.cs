namespace Booklore.Tasks.Services.Caches;

/// <summary>
/// Deletes the files under one folder of a cache: links are deleted as links, paths outside the
/// cache root are rejected, and files that cannot be deleted are reported instead of thrown.
/// </summary>
internal sealed class PageCacheClearer(string rootPath, PageCacheAccounting accounting, TimeProvider timeProvider)
{
    private const int ReportEveryFiles = 1000;
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Deletes every file under <paramref name="folder"/> (the cache root or one book folder),
    /// then the folders left empty. <paramref name="removeFolder"/> also removes the folder itself.
    /// </summary>
    public CacheClearResult Clear(
        string folder,
        bool removeFolder,
        IProgress<CacheClearProgress>? progress,
        CancellationToken cancellationToken)
    {
        var rootPrefix = CacheTree.ResolveRoot(rootPath);
        var target = Path.GetFullPath(Path.Combine(rootPrefix, Path.GetRelativePath(rootPath, folder)));
        if (!Directory.Exists(target))
        {
            return new CacheClearResult(0, 0, [], Cancelled: false);
        }

        // Listing tens of thousands of files on a cold disk takes seconds, so the listing stops on cancel too.
        var entries = new List<CacheTreeEntry>();
        foreach (var entry in CacheTree.EnumerateFiles(target))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return new CacheClearResult(0, 0, [], Cancelled: true);
            }

            entries.Add(entry);
        }

        var state = new ClearState(entries.Count, progress, timeProvider);
        foreach (var entry in entries)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                state.Cancelled = true;
                break;
            }

            DeleteEntry(entry, rootPrefix, state);
            state.ReportIfDue();
        }

        state.Report();
        RemoveEmptyFolders(target, removeFolder && !state.Cancelled, state);
        return new CacheClearResult(state.FilesDeleted, state.BytesFreed, state.Failures, state.Cancelled);
    }

    private void DeleteEntry(CacheTreeEntry entry, string rootPrefix, ClearState state)
    {
        state.FilesDone++;
        if (!entry.FullPath.StartsWith(rootPrefix, StringComparison.Ordinal))
        {
            state.Failures.Add(new CacheClearFailure(entry.FullPath, "Rejected: the path is outside the cache folder."));
            return;
        }

        try
        {
            // On Unix File.Delete unlinks a link to a folder as well; Windows needs Directory.Delete for it.
            if (entry.IsLink && entry.IsDirectory && OperatingSystem.IsWindows())
            {
                Directory.Delete(entry.FullPath);
            }
            else
            {
                File.Delete(entry.FullPath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            state.Failures.Add(new CacheClearFailure(entry.FullPath, ex.Message));
            return;
        }

        state.FilesDeleted++;
        state.BytesFreed += entry.Length;
        accounting.RemoveFile(CacheTree.FolderKey(entry.FullPath, rootPrefix).ToString(), entry.Length);
    }

    private static void RemoveEmptyFolders(string target, bool removeTarget, ClearState state)
    {
        // Deepest first, so a folder is empty by the time its parent is tried.
        var folders = CacheTree.EnumerateFolders(target).OrderByDescending(path => path.Length).ToList();
        if (removeTarget)
        {
            folders.Add(target);
        }

        foreach (var folder in folders)
        {
            try
            {
                Directory.Delete(folder, recursive: false);
            }
            catch (UnauthorizedAccessException ex)
            {
                state.Failures.Add(new CacheClearFailure(folder, ex.Message));
            }
            catch (IOException)
            {
                // Not empty: it contains a file that could not be deleted or one written since the clear began.
            }
        }
    }

    private sealed class ClearState(long filesTotal, IProgress<CacheClearProgress>? progress, TimeProvider timeProvider)
    {
        private long _lastReportedFiles;
        private long _lastReportTimestamp = timeProvider.GetTimestamp();

        public long FilesDone { get; set; }
        public long FilesDeleted { get; set; }
        public long BytesFreed { get; set; }
        public bool Cancelled { get; set; }
        public List<CacheClearFailure> Failures { get; } = [];

        public void ReportIfDue()
        {
            if (progress is null)
            {
                return;
            }

            if (FilesDone - _lastReportedFiles >= ReportEveryFiles
                || timeProvider.GetElapsedTime(_lastReportTimestamp) >= ReportInterval)
            {
                Report();
            }
        }

        public void Report()
        {
            _lastReportedFiles = FilesDone;
            _lastReportTimestamp = timeProvider.GetTimestamp();
            progress?.Report(new CacheClearProgress(FilesDone, filesTotal, BytesFreed));
        }
    }
}
