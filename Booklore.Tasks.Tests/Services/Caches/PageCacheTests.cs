using Booklore.Tasks.Services.Caches;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Tests.Services.Caches;

public sealed class PageCacheTests : IDisposable
{
    private readonly List<CacheTestHost> _hosts = [];
    private readonly List<string> _mounts = [];

    [Fact]
    public async Task Stats_AfterPageRequests_EqualsWalk()
    {
        var host = CreateHost();
        await host.ReadPageAsync(CacheTestHost.CorpusBook(1, "comics/comicbox/Captain Science #001.cbz", BookFormat.Cbz), 1);
        await host.ReadPageAsync(CacheTestHost.CorpusBook(1, "comics/comicbox/Captain Science #001.cbz", BookFormat.Cbz), 4);
        await host.ReadPageAsync(CacheTestHost.CorpusBook(2, "comics/komga/rar5-solid.cbr", BookFormat.Cbr), 2);

        var stats = host.Caches.Cbx.Stats;

        Assert.Equal(CacheTestHost.Walk(host.Caches.Cbx.RootPath), stats);
        Assert.Equal(7, stats.Files);
    }

    [Fact]
    public async Task Stats_AfterClear_EqualsWalk()
    {
        var host = CreateHost();
        await host.ReadPageAsync(CacheTestHost.CorpusBook(1, "comics/comicbox/Captain Science #001.cbz", BookFormat.Cbz), 2);
        var before = host.Caches.Cbx.Stats;

        var result = await host.Caches.Cbx.ClearAsync(null, CancellationToken.None);

        Assert.Equal(before.Files, result.FilesDeleted);
        Assert.Equal(before.Bytes, result.BytesFreed);
        Assert.Equal(new CacheStats(0, 0), host.Caches.Cbx.Stats);
        Assert.Equal(new CacheStats(0, 0), CacheTestHost.Walk(host.Caches.Cbx.RootPath));
    }

    [Fact]
    public async Task RecalculateAsync_FilesAddedOutsideCache_AreCounted()
    {
        var host = CreateHost();
        var folder = Directory.CreateDirectory(Path.Combine(host.Caches.Pdf.RootPath, "5"));
        await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "0001-w1200.png"), new byte[1234]);

        await host.Caches.Pdf.RecalculateAsync(CancellationToken.None);

        Assert.Equal(new CacheStats(1234, 1), host.Caches.Pdf.Stats);
    }

    [Fact]
    public async Task Changed_AfterWrite_RaisedOnceAfterInterval()
    {
        var host = CreateHost();
        var raised = new List<CacheStats>();
        host.Caches.Cbx.Changed += (_, stats) => raised.Add(stats);

        await StoreAsync(host.Caches.Cbx, 1, "a.bin", 100);
        await StoreAsync(host.Caches.Cbx, 1, "b.bin", 50);
        var beforeInterval = raised.Count;
        host.Time.Advance(TimeSpan.FromMilliseconds(250));

        Assert.Equal(0, beforeInterval);
        Assert.Equal([new CacheStats(150, 2)], raised);
    }

    [Fact]
    public async Task StoreFileAsync_OverBudget_EvictsLeastRecentlyReadBook()
    {
        var host = CreateHost(new CacheOptions { CbxBudgetBytes = 2500 });
        var cache = host.Caches.Cbx;
        await StoreAsync(cache, 1, "0001.jpg", 1000);
        cache.MarkRead(1);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        await StoreAsync(cache, 2, "0001.jpg", 1000);
        cache.MarkRead(2);
        host.Time.Advance(TimeSpan.FromMinutes(1));
        cache.MarkRead(1);

        await StoreAsync(cache, 3, "0001.jpg", 1000);

        Assert.False(Directory.Exists(cache.GetBookFolder(2)));
        Assert.True(Directory.Exists(cache.GetBookFolder(1)));
        Assert.True(Directory.Exists(cache.GetBookFolder(3)));
        Assert.Equal(new CacheStats(2000, 2), cache.Stats);
    }

    [TmpfsFact]
    public async Task StoreFileAsync_DiskFull_EvictsAndRetriesOnce()
    {
        var host = CreateHost();
        var cache = host.Caches.Cbx;
        Directory.CreateDirectory(cache.RootPath);
        Assert.Equal(0, CacheTestConditions.Run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", cache.RootPath));
        _mounts.Add(cache.RootPath);
        await StoreAsync(cache, 1, "0001.jpg", 150 * 1024);

        var path = await StoreAsync(cache, 2, "0001.jpg", 150 * 1024);

        Assert.Equal(150 * 1024, new FileInfo(path).Length);
        Assert.False(Directory.Exists(cache.GetBookFolder(1)));
        Assert.Equal(CacheTestHost.Walk(cache.RootPath), cache.Stats);
    }

    [Fact]
    public async Task StoreFileAsync_DiskFullAndNothingToEvict_Throws()
    {
        var host = CreateHost();

        var exception = await Assert.ThrowsAsync<IOException>(() => host.Caches.Cbx.StoreFileAsync(
            1, "0001.jpg", (_, _) => throw new IOException("No space left on device", 28), CancellationToken.None));

        Assert.True(PageCache.IsDiskFull(exception));
    }

    [Fact]
    public async Task StoreFileAsync_ExistingFile_ReplacesWithoutDoubleCounting()
    {
        var host = CreateHost();

        await StoreAsync(host.Caches.Cbx, 1, "0001.jpg", 300);
        await StoreAsync(host.Caches.Cbx, 1, "0001.jpg", 200);

        Assert.Equal(new CacheStats(200, 1), host.Caches.Cbx.Stats);
    }

    public void Dispose()
    {
        foreach (var mount in _mounts)
        {
            CacheTestConditions.Run("umount", mount);
        }

        foreach (var host in _hosts)
        {
            host.Dispose();
        }
    }

    private static Task<string> StoreAsync(PageCache cache, int bookId, string fileName, int length) =>
        cache.StoreFileAsync(
            bookId,
            fileName,
            (path, token) => File.WriteAllBytesAsync(path, new byte[length], token),
            CancellationToken.None);

    private CacheTestHost CreateHost(CacheOptions? options = null)
    {
        var host = new CacheTestHost(options);
        _hosts.Add(host);
        return host;
    }
}
