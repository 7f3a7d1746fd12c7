using Booklore.Tasks.Data;
using Booklore.Tasks.Services;
using Booklore.Tasks.Services.Caches;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Booklore.Tasks.Tests.Services.Caches;

/// <summary>The caches and page service over a fresh temporary data folder, deleted on dispose.</summary>
internal sealed class CacheTestHost : IDisposable
{
    public CacheTestHost(CacheOptions? options = null, string? dataPath = null)
    {
        DataPath = dataPath ?? Directory.CreateTempSubdirectory("booklore-caches-").FullName;
        Options = options ?? new CacheOptions();
        Caches = new PageCaches(
            Microsoft.Extensions.Options.Options.Create(new BookloreOptions { DataPath = DataPath }),
            Microsoft.Extensions.Options.Options.Create(Options),
            Time,
            NullLogger<PageCache>.Instance);

        // The renderer's timeout uses real time, because the fake clock never moves by itself.
        Renderer = new PdfPageRenderer(Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System);
        Pages = new BookPageService(
            Caches,
            new ComicPageSource(Caches, NullLogger<ComicPageSource>.Instance),
            new PdfPageSource(Caches, Renderer, NullLogger<PdfPageSource>.Instance),
            NullLogger<BookPageService>.Instance);
    }

    public string DataPath { get; }
    public CacheOptions Options { get; }
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    public PageCaches Caches { get; }
    public PdfPageRenderer Renderer { get; }
    public BookPageService Pages { get; }

    public static Book CorpusBook(int id, string corpusPath, BookFormat format) =>
        new() { Id = id, Path = TestCorpus.GetPath(corpusPath), Format = format };

    public static Book FileBook(int id, string path, BookFormat format) =>
        new() { Id = id, Path = path, Format = format };

    /// <summary>Returns the bytes of a page that must exist.</summary>
    public async Task<byte[]> ReadPageAsync(Book book, int pageNumber, int? width = null)
    {
        var result = await Pages.GetPageAsync(book, pageNumber, width, CancellationToken.None);
        var page = Assert.IsType<BookPageFound>(result);
        await using var content = page.Content;
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Counts the files and bytes under a folder with a plain recursive walk.</summary>
    public static CacheStats Walk(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return new CacheStats(0, 0);
        }

        var files = new DirectoryInfo(folder)
            .EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .ToList();
        return new CacheStats(files.Sum(file => file.Length), files.Count);
    }

    public void Dispose()
    {
        Caches.Dispose();
        if (Directory.Exists(DataPath))
        {
            Directory.Delete(DataPath, recursive: true);
        }
    }
}
