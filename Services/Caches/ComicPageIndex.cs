using System.Text.Json;

namespace Booklore.Tasks.Services.Caches;

/// <summary>
/// The pages of one comic archive, stored as "pages.json" in the book's cache folder so that a
/// request for a cached page does not reopen the archive. Length and write time identify the
/// archive version the index was built from.
/// </summary>
internal sealed record ComicPageIndex(long ArchiveLength, long ArchiveWriteTimeTicks, bool IsSolid, IReadOnlyList<string> EntryKeys)
{
    public const string FileName = "pages.json";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public int PageCount => EntryKeys.Count;

    public bool Matches(FileInfo archive) =>
        archive.Length == ArchiveLength && archive.LastWriteTimeUtc.Ticks == ArchiveWriteTimeTicks;

    public string CachedFileName(int pageNumber) =>
        ComicPageList.CachedFileName(pageNumber, EntryKeys[pageNumber - 1]);

    /// <summary>Reads the index of a book folder; returns null when it is missing or unreadable.</summary>
    public static async Task<ComicPageIndex?> ReadAsync(string bookFolder, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = File.OpenRead(Path.Combine(bookFolder, FileName));
            return await JsonSerializer.DeserializeAsync<ComicPageIndex>(stream, JsonOptions, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            // Missing (never built, or removed by a clear) or damaged: the caller builds it again.
            return null;
        }
    }

    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        await JsonSerializer.SerializeAsync(stream, this, JsonOptions, cancellationToken);
    }
}
