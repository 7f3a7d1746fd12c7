using Booklore.Tasks.Services.Caches;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Tests.Services.Caches;

public sealed class PageCacheClearTests : IDisposable
{
    private readonly CacheTestHost _host = new();
    private readonly List<string> _immutableFiles = [];

    private PageCache Cache => _host.Caches.Cbx;

    [Fact]
    public async Task ClearAsync_LinkToOutsideFile_DeletesLinkOnly()
    {
        var outside = Path.Combine(_host.DataPath, "outside.txt");
        await File.WriteAllTextAsync(outside, "keep me");
        var link = Path.Combine(Directory.CreateDirectory(Cache.GetBookFolder(1)).FullName, "0001.jpg");
        File.CreateSymbolicLink(link, outside);

        var result = await Cache.ClearAsync(null, CancellationToken.None);

        Assert.Equal("keep me", await File.ReadAllTextAsync(outside));
        Assert.False(File.Exists(link) || new FileInfo(link).LinkTarget is not null);
        Assert.Equal(1, result.FilesDeleted);
        Assert.Equal(0, result.BytesFreed);
        Assert.Empty(result.Failures);
    }

    [Fact]
    public async Task ClearAsync_LinkedBookFolder_DeletesLinkNotTarget()
    {
        var outsideFolder = Directory.CreateDirectory(Path.Combine(_host.DataPath, "outside-folder")).FullName;
        var outsideFile = Path.Combine(outsideFolder, "0001.jpg");
        await File.WriteAllBytesAsync(outsideFile, new byte[64]);
        Directory.CreateDirectory(Cache.RootPath);
        var link = Cache.GetBookFolder(2);
        Directory.CreateSymbolicLink(link, outsideFolder);

        var result = await Cache.ClearAsync(null, CancellationToken.None);

        Assert.True(File.Exists(outsideFile));
        Assert.False(Directory.Exists(link));
        Assert.Equal(1, result.FilesDeleted);
    }

    [UndeletableFileFact]
    public async Task ClearAsync_UndeletableFile_ReportsPathAndReason()
    {
        var folder = Directory.CreateDirectory(Cache.GetBookFolder(3)).FullName;
        var kept = Path.Combine(folder, "0001.jpg");
        var deleted = Path.Combine(folder, "0002.jpg");
        await File.WriteAllBytesAsync(kept, new byte[10]);
        await File.WriteAllBytesAsync(deleted, new byte[20]);
        MakeUndeletable(kept);

        var result = await Cache.ClearAsync(null, CancellationToken.None);
        MakeDeletable(kept);

        var failure = Assert.Single(result.Failures);
        Assert.Equal(kept, failure.Path);
        Assert.False(string.IsNullOrWhiteSpace(failure.Reason));
        Assert.Equal(1, result.FilesDeleted);
        Assert.Equal(20, result.BytesFreed);
        Assert.True(File.Exists(kept));
        Assert.Equal(new CacheStats(10, 1), Cache.Stats);
    }

    [Fact]
    public async Task ClearAsync_CancelledAtFirstReport_ReturnsPartialCounts()
    {
        CreateFiles(bookCount: 3, filesPerBook: 1000, length: 3);
        using var cancellation = new CancellationTokenSource();
        var reports = new List<CacheClearProgress>();
        var progress = new SynchronousProgress<CacheClearProgress>(report =>
        {
            reports.Add(report);
            cancellation.Cancel();
        });

        var result = await Cache.ClearAsync(progress, cancellation.Token);

        Assert.True(result.Cancelled);
        Assert.Equal(1000, result.FilesDeleted);
        Assert.Equal(3000, result.BytesFreed);
        Assert.Equal(new CacheClearProgress(1000, 3000, 3000), reports[0]);
        Assert.Equal(new CacheStats(6000, 2000), CacheTestHost.Walk(Cache.RootPath));
        Assert.Equal(new CacheStats(6000, 2000), Cache.Stats);
    }

    [Fact]
    public async Task ClearAsync_ManyFiles_ReportsProgressAndRemovesFolders()
    {
        CreateFiles(bookCount: 5, filesPerBook: 500, length: 2);
        var reports = new List<CacheClearProgress>();

        var result = await Cache.ClearAsync(new SynchronousProgress<CacheClearProgress>(reports.Add), CancellationToken.None);

        Assert.False(result.Cancelled);
        Assert.Equal(2500, result.FilesDeleted);
        Assert.Equal(5000, result.BytesFreed);
        Assert.Equal(new CacheClearProgress(2500, 2500, 5000), reports[^1]);
        Assert.True(reports.Count >= 3);
        Assert.True(Directory.Exists(Cache.RootPath));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Cache.RootPath));
    }

    [Fact]
    public async Task GetPageAsync_AfterClear_ExtractsPageAgain()
    {
        var book = CacheTestHost.CorpusBook(9, "comics/comicbox/Captain Science #001.cbz", BookFormat.Cbz);
        var before = await _host.ReadPageAsync(book, 3);
        await Cache.ClearAsync(null, CancellationToken.None);

        var after = await _host.ReadPageAsync(book, 3);

        Assert.Equal(before, after);
        Assert.True(File.Exists(Path.Combine(Cache.GetBookFolder(9), "0003.jpg")));
        Assert.Equal(CacheTestHost.Walk(Cache.RootPath), Cache.Stats);
    }

    [Fact]
    public async Task GetPageAsync_OpenPageDuringClear_StaysReadable()
    {
        var book = CacheTestHost.CorpusBook(10, "comics/comicbox/Captain Science #001.cbz", BookFormat.Cbz);
        var expected = await _host.ReadPageAsync(book, 1);
        var page = Assert.IsType<BookPageFound>(await _host.Pages.GetPageAsync(book, 1, null, CancellationToken.None));

        await Cache.ClearAsync(null, CancellationToken.None);
        using var copy = new MemoryStream();
        await using (page.Content)
        {
            await page.Content.CopyToAsync(copy);
        }

        Assert.False(File.Exists(page.FilePath));
        Assert.Equal(expected, copy.ToArray());
    }

    public void Dispose()
    {
        foreach (var path in _immutableFiles)
        {
            MakeDeletable(path);
        }

        _host.Dispose();
    }

    private void CreateFiles(int bookCount, int filesPerBook, int length)
    {
        for (var book = 1; book <= bookCount; book++)
        {
            var folder = Directory.CreateDirectory(Cache.GetBookFolder(book)).FullName;
            for (var file = 1; file <= filesPerBook; file++)
            {
                File.WriteAllBytes(Path.Combine(folder, $"{file:D4}.jpg"), new byte[length]);
            }
        }

        Cache.RecalculateAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    private void MakeUndeletable(string path)
    {
        _immutableFiles.Add(path);
        if (CacheTestConditions.IsRoot)
        {
            Assert.Equal(0, CacheTestConditions.Run("chattr", "+i", path));
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.GetDirectoryName(path)!, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
    }

    private static void MakeDeletable(string path)
    {
        if (CacheTestConditions.IsRoot)
        {
            CacheTestConditions.Run("chattr", "-i", path);
        }
        else if (!OperatingSystem.IsWindows() && Directory.Exists(Path.GetDirectoryName(path)))
        {
            File.SetUnixFileMode(Path.GetDirectoryName(path)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Calls back on the reporting thread, unlike <see cref="Progress{T}"/>, which posts to the thread pool.</summary>
    private sealed class SynchronousProgress<T>(Action<T> onReport) : IProgress<T>
    {
        public void Report(T value) => onReport(value);
    }
}
