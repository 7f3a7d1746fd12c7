using System.Globalization;

namespace Booklore.Tasks.Services.Caches;

/// <summary>
/// A folder of cached page images with one sub-folder per book id. The cache keeps its own count
/// of bytes and files, updated on every write and delete and corrected by <see cref="RecalculateAsync"/>,
/// so <see cref="Stats"/> never walks the folder.
/// </summary>
public sealed partial class PageCache : IDisposable
{
    private static readonly TimeSpan ChangedInterval = TimeSpan.FromMilliseconds(250);

    private readonly PageCacheAccounting _accounting;
    private readonly PageCacheClearer _clearer;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<PageCache> _logger;
    private readonly ITimer _changedTimer;
    private readonly SemaphoreSlim[] _bookLocks = CreateBookLocks(32);
    private readonly Lock _evictionGate = new();
    private int _changePending;

    public PageCache(
        PageCacheKind kind,
        string rootPath,
        long? budgetBytes,
        TimeProvider timeProvider,
        ILogger<PageCache> logger)
    {
        Kind = kind;
        RootPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootPath));
        BudgetBytes = budgetBytes;
        _timeProvider = timeProvider;
        _logger = logger;
        _accounting = new PageCacheAccounting(OnAccountingChanged);
        _clearer = new PageCacheClearer(RootPath, _accounting, timeProvider);
        _changedTimer = timeProvider.CreateTimer(_ => RaiseChanged(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Raised at most every 250 ms after the size or file count changed, with the new values.
    /// Handlers run on a timer thread.
    /// </summary>
    public event EventHandler<CacheStats>? Changed;

    public PageCacheKind Kind { get; }

    /// <summary>Full path of the cache folder.</summary>
    public string RootPath { get; }

    /// <summary>Size above which the least recently read books are evicted; null means no limit.</summary>
    public long? BudgetBytes { get; }

    /// <summary>Bytes and files in the cache, from its own accounting (no file system access).</summary>
    public CacheStats Stats => _accounting.Stats;

    public string GetBookFolder(int bookId) =>
        Path.Combine(RootPath, FolderKey(bookId));

    /// <summary>Records that a page of the book was read now; eviction removes the least recently read books first.</summary>
    public void MarkRead(int bookId) =>
        _accounting.MarkRead(FolderKey(bookId), _timeProvider.GetUtcNow());

    public DateTimeOffset? GetLastReadAt(int bookId) =>
        _accounting.GetLastReadAt(FolderKey(bookId));

    /// <summary>
    /// Writes a file into the book's folder: <paramref name="writeTempFile"/> writes a temporary
    /// file in that folder, which is then moved over <paramref name="fileName"/>, so a reader never
    /// sees a partial file. When the disk is full, the least recently read books are evicted and
    /// the write is tried once more. Returns the full path of the stored file.
    /// </summary>
    public async Task<string> StoreFileAsync(
        int bookId,
        string fileName,
        Func<string, CancellationToken, Task> writeTempFile,
        CancellationToken cancellationToken)
    {
        try
        {
            return await StoreOnceAsync(bookId, fileName, writeTempFile, cancellationToken);
        }
        catch (IOException ex) when (IsDiskFull(ex))
        {
            var freed = Evict(Math.Max(Stats.Bytes / 10, 1), keepFolder: FolderKey(bookId));
            CacheLog.DiskFull(_logger, ex, fileName, bookId, Kind, freed);
            if (freed == 0)
            {
                throw;
            }

            return await StoreOnceAsync(bookId, fileName, writeTempFile, cancellationToken);
        }
    }

    /// <summary>Returns true when the exception reports a full disk or an exceeded disk quota.</summary>
    internal static bool IsDiskFull(IOException exception)
    {
        // .NET sets HResult to the errno value on Unix and to HRESULT_FROM_WIN32(error) on Windows.
        const int ENOSPC = 28;
        const int EDQUOT = 122;
        const int ErrorHandleDiskFull = unchecked((int)0x80070027);
        const int ErrorDiskFull = unchecked((int)0x80070070);

        return OperatingSystem.IsWindows()
            ? exception.HResult is ErrorDiskFull or ErrorHandleDiskFull
            : exception.HResult is ENOSPC or EDQUOT;
    }

    /// <summary>Waits until no other caller fills pages of the same book (or of a book sharing its lock).</summary>
    internal async Task<IDisposable> LockBookAsync(int bookId, CancellationToken cancellationToken)
    {
        var bookLock = _bookLocks[(uint)bookId % (uint)_bookLocks.Length];
        await bookLock.WaitAsync(cancellationToken);
        return new BookLockRelease(bookLock);
    }

    public void Dispose()
    {
        _changedTimer.Dispose();
        foreach (var bookLock in _bookLocks)
        {
            bookLock.Dispose();
        }
    }

    private async Task<string> StoreOnceAsync(
        int bookId,
        string fileName,
        Func<string, CancellationToken, Task> writeTempFile,
        CancellationToken cancellationToken)
    {
        var key = FolderKey(bookId);
        for (var attempt = 1; ; attempt++)
        {
            var folder = Path.Combine(RootPath, key);
            Directory.CreateDirectory(folder);
            var tempPath = Path.Combine(folder, $".{fileName}.{Guid.NewGuid():N}.tmp");
            try
            {
                await writeTempFile(tempPath, cancellationToken);
                var target = Path.Combine(folder, fileName);
                CommitTempFile(key, tempPath, target);
                EnforceBudget(key);
                return target;
            }
            catch (Exception ex) when (attempt == 1 && ex is DirectoryNotFoundException or FileNotFoundException)
            {
                // A clear or an eviction removed the folder or the temporary file meanwhile.
                CacheLog.FolderRemovedWhileWriting(_logger, ex, bookId, fileName);
            }
            finally
            {
                TryDeleteFile(tempPath);
            }
        }
    }

    private void CommitTempFile(string key, string tempPath, string target)
    {
        var length = new FileInfo(tempPath).Length;
        var replaced = new FileInfo(target);
        var replacedLength = replaced.Exists ? replaced.Length : (long?)null;

        File.Move(tempPath, target, overwrite: true);
        if (replacedLength is { } oldLength)
        {
            _accounting.RemoveFile(key, oldLength);
        }

        _accounting.AddFile(key, length);
    }

    private void OnAccountingChanged()
    {
        if (Interlocked.Exchange(ref _changePending, 1) == 0)
        {
            _changedTimer.Change(ChangedInterval, Timeout.InfiniteTimeSpan);
        }
    }

    private void RaiseChanged()
    {
        Volatile.Write(ref _changePending, 0);
        var stats = Stats;
        foreach (var handler in Changed?.GetInvocationList().Cast<EventHandler<CacheStats>>() ?? [])
        {
            try
            {
                handler(this, stats);
            }
            catch (Exception ex)
            {
                // An exception escaping a timer callback would end the process.
                CacheLog.ChangedHandlerFailed(_logger, ex, Kind);
            }
        }
    }

    private static string FolderKey(int bookId) => bookId.ToString(CultureInfo.InvariantCulture);

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The temporary file is gone with its folder, or the next clear removes it.
        }
    }

    private static SemaphoreSlim[] CreateBookLocks(int count) =>
        Enumerable.Range(0, count).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    private sealed class BookLockRelease(SemaphoreSlim bookLock) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                bookLock.Release();
            }
        }
    }
}
