using Booklore.Tasks.Data;
using SharpCompress.Archives;
using SharpCompress.Common;
using SharpCompress.Readers;

namespace Booklore.Tasks.Services.Caches;

/// <summary>
/// Extracts comic pages (CBZ, CBR, CB7, with the archive type detected from the content) into the
/// CBX cache one page at a time. Solid RAR and 7z archives get every missing page at once,
/// because reaching one entry there means decompressing all entries before it.
/// </summary>
public sealed class ComicPageSource(PageCaches caches, ILogger<ComicPageSource> logger)
{
    private PageCache Cache => caches.Cbx;

    /// <summary>
    /// Returns the cached file of a page (1-based), extracting it on a miss. The path is null
    /// when the page number is out of range.
    /// </summary>
    /// <exception cref="BookPageException">The archive could not be read.</exception>
    internal async Task<CachedPage> GetPageFileAsync(Book book, int pageNumber, CancellationToken cancellationToken)
    {
        var index = await GetIndexAsync(book, cancellationToken);
        if (pageNumber < 1 || pageNumber > index.PageCount)
        {
            return new CachedPage(null, index.PageCount);
        }

        var path = Path.Combine(Cache.GetBookFolder(book.Id), index.CachedFileName(pageNumber));
        if (!File.Exists(path))
        {
            using (await Cache.LockBookAsync(book.Id, cancellationToken))
            {
                if (!File.Exists(path))
                {
                    await ExtractAsync(book, index, pageNumber, cancellationToken);
                }
            }
        }

        return new CachedPage(path, index.PageCount);
    }

    /// <summary>Returns the page count of a comic, from the stored index or by listing the archive.</summary>
    public async Task<int> GetPageCountAsync(Book book, CancellationToken cancellationToken) =>
        (await GetIndexAsync(book, cancellationToken)).PageCount;

    private async Task<ComicPageIndex> GetIndexAsync(Book book, CancellationToken cancellationToken)
    {
        var archive = new FileInfo(book.Path);
        if (!archive.Exists)
        {
            throw new FileNotFoundException($"The book file {book.Path} was not found.", book.Path);
        }

        var bookFolder = Cache.GetBookFolder(book.Id);
        var stored = await ComicPageIndex.ReadAsync(bookFolder, cancellationToken);
        if (stored is not null && stored.Matches(archive))
        {
            return stored;
        }

        using (await Cache.LockBookAsync(book.Id, cancellationToken))
        {
            stored = await ComicPageIndex.ReadAsync(bookFolder, cancellationToken);
            if (stored is not null && stored.Matches(archive))
            {
                return stored;
            }

            // Pages left from an older version of the archive, or without an index, could be the wrong pages.
            if (Directory.Exists(bookFolder))
            {
                var deleted = Cache.DeleteBook(book.Id);
                CacheLog.BookChanged(logger, book.Id, deleted.FilesDeleted);
            }

            var index = BuildIndex(book.Path, archive);
            await Cache.StoreFileAsync(book.Id, ComicPageIndex.FileName, index.WriteAsync, cancellationToken);
            return index;
        }
    }

    private static ComicPageIndex BuildIndex(string archivePath, FileInfo archiveFile)
    {
        using var archive = OpenArchive(archivePath);
        var keys = ReadArchive(archivePath, () => archive.Entries
            .Where(entry => !entry.IsDirectory && entry.Key is not null)
            .Select(entry => entry.Key!)
            .ToList());
        return new ComicPageIndex(
            archiveFile.Length,
            archiveFile.LastWriteTimeUtc.Ticks,
            archive.IsSolid,
            ComicPageList.SelectPages(keys));
    }

    private async Task ExtractAsync(Book book, ComicPageIndex index, int pageNumber, CancellationToken cancellationToken)
    {
        CacheLog.ExtractingPage(logger, pageNumber, book.Id, book.Path);
        using var archive = OpenArchive(book.Path);
        if (index.IsSolid)
        {
            await ExtractMissingPagesAsync(book, archive, index, cancellationToken);
            return;
        }

        var key = index.EntryKeys[pageNumber - 1];
        var entry = archive.Entries.FirstOrDefault(candidate => !candidate.IsDirectory && candidate.Key == key)
            ?? throw new BookPageException($"Page {pageNumber} ({key}) is missing from {book.Path}; the archive may have changed.");
        await Cache.StoreFileAsync(
            book.Id,
            index.CachedFileName(pageNumber),
            async (tempPath, token) =>
            {
                await using var source = await entry.OpenEntryStreamAsync(token);
                await CopyToNewFileAsync(source, tempPath, book.Path, token);
            },
            cancellationToken);
    }

    private async Task ExtractMissingPagesAsync(
        Book book, IArchive archive, ComicPageIndex index, CancellationToken cancellationToken)
    {
        var bookFolder = Cache.GetBookFolder(book.Id);
        var pagesByKey = Enumerable.Range(1, index.PageCount)
            .ToLookup(pageNumber => index.EntryKeys[pageNumber - 1], StringComparer.Ordinal);

        using var reader = ReadArchive(book.Path, archive.ExtractAllEntries);
        while (ReadArchive(book.Path, reader.MoveToNextEntry))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = reader.Entry.Key;
            if (reader.Entry.IsDirectory || key is null || !pagesByKey.Contains(key))
            {
                continue;
            }

            // Duplicate keys all point to the first entry with that key, as in random access.
            var pageNumber = pagesByKey[key].First();
            if (File.Exists(Path.Combine(bookFolder, index.CachedFileName(pageNumber))))
            {
                continue;
            }

            await Cache.StoreFileAsync(
                book.Id,
                index.CachedFileName(pageNumber),
                async (tempPath, token) =>
                {
                    await using var source = reader.OpenEntryStream();
                    await CopyToNewFileAsync(source, tempPath, book.Path, token);
                },
                cancellationToken);
        }
    }

    private static async Task CopyToNewFileAsync(Stream source, string path, string archivePath, CancellationToken cancellationToken)
    {
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        try
        {
            await source.CopyToAsync(target, cancellationToken);
        }
        catch (SharpCompressException ex)
        {
            throw new BookPageException($"Could not extract a page from {archivePath}: {ex.Message}", ex);
        }
    }

    private static IArchive OpenArchive(string archivePath) =>
        ReadArchive(archivePath, () => ArchiveFactory.OpenArchive(archivePath, new ReaderOptions()));

    private static T ReadArchive<T>(string archivePath, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is SharpCompressException or InvalidDataException or InvalidOperationException or NotSupportedException)
        {
            throw new BookPageException($"Could not read the comic archive {archivePath}: {ex.Message}", ex);
        }
    }
}

/// <summary>A cached page file, or a null path when the page number is out of range.</summary>
internal readonly record struct CachedPage(string? FilePath, int PageCount);
