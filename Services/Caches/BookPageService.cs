using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Services.Caches;

/// <summary>Serves page images of comics and PDFs from the page caches, filling them on a miss.</summary>
public sealed class BookPageService(
    PageCaches caches,
    ComicPageSource comics,
    PdfPageSource pdfs,
    ILogger<BookPageService> logger)
{
    /// <summary>
    /// Returns page <paramref name="pageNumber"/> (1-based) of a comic or PDF. <paramref name="width"/>
    /// applies to PDFs only, in pixels, limited to 200..2400 (1200 when null). A page deleted by a
    /// clear or an eviction between filling and opening is filled once more.
    /// </summary>
    /// <exception cref="BookPageException">The book file could not be read or rendered.</exception>
    /// <exception cref="PdfRendererNotFoundException">A PDF page was requested and no renderer is installed.</exception>
    public async Task<BookPageResult> GetPageAsync(Book book, int pageNumber, int? width, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(book);
        if (GetCache(book.Format) is not { } cache)
        {
            return new BookPageNotFound(pageNumber, null, $"Book {book.Id} is {book.Format}, which has no page images.");
        }

        if (!File.Exists(book.Path))
        {
            return new BookPageNotFound(pageNumber, null, $"The file of book {book.Id} was not found: {book.Path}");
        }

        for (var attempt = 1; ; attempt++)
        {
            var page = await GetCachedPageAsync(book, pageNumber, width, cancellationToken);
            if (page.FilePath is null)
            {
                return new BookPageNotFound(
                    pageNumber, page.PageCount, $"Page {pageNumber} is out of range: book {book.Id} has {page.PageCount} pages.");
            }

            try
            {
                var content = new FileStream(
                    page.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 4096, useAsync: true);
                cache.MarkRead(book.Id);
                return new BookPageFound(content, ComicPageList.ContentType(page.FilePath), page.FilePath, page.PageCount);
            }
            catch (Exception ex) when (attempt == 1 && ex is FileNotFoundException or DirectoryNotFoundException)
            {
                CacheLog.PageVanished(logger, ex, pageNumber, book.Id);
            }
        }
    }

    private PageCache? GetCache(BookFormat format) => format switch
    {
        BookFormat.Cbz or BookFormat.Cbr or BookFormat.Cb7 => caches.Cbx,
        BookFormat.Pdf => caches.Pdf,
        _ => null,
    };

    private Task<CachedPage> GetCachedPageAsync(Book book, int pageNumber, int? width, CancellationToken cancellationToken) =>
        book.Format == BookFormat.Pdf
            ? pdfs.GetPageFileAsync(book, pageNumber, PdfPageRenderer.ClampWidth(width), cancellationToken)
            : comics.GetPageFileAsync(book, pageNumber, cancellationToken);
}
