using System.Globalization;
using System.Text.Json;
using Booklore.Tasks.Data;
using UglyToad.PdfPig;

namespace Booklore.Tasks.Services.Caches;

/// <summary>Renders PDF pages into the PDF cache on request, one page at one width per file.</summary>
public sealed class PdfPageSource(PageCaches caches, PdfPageRenderer renderer, ILogger<PdfPageSource> logger)
{
    private const string IndexFileName = "pages.json";
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private PageCache Cache => caches.Pdf;

    /// <summary>
    /// Returns the cached PNG of a page (1-based) at a width already clamped by
    /// <see cref="PdfPageRenderer.ClampWidth"/>, rendering it on a miss. The path is null when
    /// the page number is out of range.
    /// </summary>
    internal async Task<CachedPage> GetPageFileAsync(Book book, int pageNumber, int width, CancellationToken cancellationToken)
    {
        var pageCount = await GetPageCountAsync(book, cancellationToken);
        if (pageNumber < 1 || (pageCount is { } count && pageNumber > count))
        {
            return new CachedPage(null, pageCount ?? 0);
        }

        var fileName = string.Create(CultureInfo.InvariantCulture, $"{pageNumber:D4}-w{width}.png");
        var path = Path.Combine(Cache.GetBookFolder(book.Id), fileName);
        if (!File.Exists(path))
        {
            using (await Cache.LockBookAsync(book.Id, cancellationToken))
            {
                if (!File.Exists(path))
                {
                    var toolName = renderer.GetTool().Name;
                    CacheLog.RenderingPage(logger, pageNumber, book.Id, width, toolName);
                    await Cache.StoreFileAsync(
                        book.Id,
                        fileName,
                        (tempPath, token) => renderer.RenderAsync(book.Path, pageNumber, width, tempPath, token),
                        cancellationToken);
                }
            }
        }

        return new CachedPage(path, pageCount ?? 0);
    }

    /// <summary>Returns the page count from the stored index or PdfPig; null when PdfPig cannot read the file.</summary>
    private async Task<int?> GetPageCountAsync(Book book, CancellationToken cancellationToken)
    {
        var pdf = new FileInfo(book.Path);
        if (!pdf.Exists)
        {
            throw new FileNotFoundException($"The book file {book.Path} was not found.", book.Path);
        }

        var bookFolder = Cache.GetBookFolder(book.Id);
        var stored = await ReadIndexAsync(bookFolder, cancellationToken);
        if (stored is not null && stored.Matches(pdf))
        {
            return stored.PageCount;
        }

        using (await Cache.LockBookAsync(book.Id, cancellationToken))
        {
            stored = await ReadIndexAsync(bookFolder, cancellationToken);
            if (stored is not null && stored.Matches(pdf))
            {
                return stored.PageCount;
            }

            // Pages rendered from an older version of the file could show the wrong content.
            if (Directory.Exists(bookFolder))
            {
                var deleted = Cache.DeleteBook(book.Id);
                CacheLog.BookChanged(logger, book.Id, deleted.FilesDeleted);
            }

            var index = new PdfPageIndex(pdf.Length, pdf.LastWriteTimeUtc.Ticks, CountPages(book.Path));
            await Cache.StoreFileAsync(book.Id, IndexFileName, index.WriteAsync, cancellationToken);
            return index.PageCount;
        }
    }

    private int? CountPages(string pdfPath)
    {
        try
        {
            using var document = PdfDocument.Open(pdfPath);
            return document.NumberOfPages;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // NOTE: without a count, a page past the end reaches the renderer; mutool 1.21 then exits 0 with no useful page.
            CacheLog.PdfPageCountFailed(logger, ex, pdfPath);
            return null;
        }
    }

    private static async Task<PdfPageIndex?> ReadIndexAsync(string bookFolder, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(Path.Combine(bookFolder, IndexFileName));
            return await JsonSerializer.DeserializeAsync<PdfPageIndex>(stream, JsonOptions, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Page count of one version (length and write time) of a PDF file.</summary>
    private sealed record PdfPageIndex(long FileLength, long FileWriteTimeTicks, int? PageCount)
    {
        public bool Matches(FileInfo pdf) =>
            pdf.Length == FileLength && pdf.LastWriteTimeUtc.Ticks == FileWriteTimeTicks;

        public async Task WriteAsync(string path, CancellationToken cancellationToken)
        {
            await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            await JsonSerializer.SerializeAsync(stream, this, JsonOptions, cancellationToken);
        }
    }
}
