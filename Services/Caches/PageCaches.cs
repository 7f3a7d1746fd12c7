using Microsoft.Extensions.Options;

namespace Booklore.Tasks.Services.Caches;

/// <summary>The CBX and PDF page caches of the application, under the data folder.</summary>
public sealed class PageCaches : IDisposable
{
    public PageCaches(
        IOptions<BookloreOptions> bookloreOptions,
        IOptions<CacheOptions> cacheOptions,
        TimeProvider timeProvider,
        ILogger<PageCache> logger)
    {
        var paths = bookloreOptions.Value;
        var options = cacheOptions.Value;
        Cbx = new PageCache(PageCacheKind.Cbx, paths.CbxCachePath, options.CbxBudgetBytes, timeProvider, logger);
        Pdf = new PageCache(PageCacheKind.Pdf, paths.PdfCachePath, options.PdfBudgetBytes, timeProvider, logger);
    }

    public PageCache Cbx { get; }

    public PageCache Pdf { get; }

    public IEnumerable<PageCache> All => [Cbx, Pdf];

    public PageCache Get(PageCacheKind kind) => kind switch
    {
        PageCacheKind.Cbx => Cbx,
        PageCacheKind.Pdf => Pdf,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown page cache kind."),
    };

    public void Dispose()
    {
        Cbx.Dispose();
        Pdf.Dispose();
    }
}
