namespace Booklore.Tasks.Services.Caches;

/// <summary>Selects and orders the page images among the entries of a comic archive.</summary>
internal static class ComicPageList
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".jxl", ".bmp",
    };

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "__MACOSX", "thumbs", "thumb", "thumbnails", "thumbnail",
    };

    /// <summary>
    /// Returns the entry keys that are pages, in natural order of their full path: images only,
    /// without entries under __MACOSX or a thumbnails folder, and without hidden files or folders
    /// (a name that starts with ".").
    /// </summary>
    public static IReadOnlyList<string> SelectPages(IEnumerable<string> entryKeys) =>
        entryKeys
            .Where(IsPage)
            .OrderBy(key => key.Replace('\\', '/'), NaturalStringComparer.Instance)
            .ToList();

    public static bool IsPage(string entryKey)
    {
        var segments = entryKey.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || !ImageExtensions.Contains(Path.GetExtension(segments[^1])))
        {
            return false;
        }

        for (var i = 0; i < segments.Length; i++)
        {
            var isFolder = i < segments.Length - 1;
            if (segments[i].StartsWith('.') || (isFolder && SkippedFolders.Contains(segments[i])))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns the cache file name of a page: its 1-based number and the entry's extension.</summary>
    public static string CachedFileName(int pageNumber, string entryKey) =>
        $"{pageNumber:D4}{Path.GetExtension(entryKey).ToLowerInvariant()}";

    public static string ContentType(string fileName) =>
        Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" => "image/jpeg",
            ".png" => "image/png",
            ".gif" => "image/gif",
            ".webp" => "image/webp",
            ".avif" => "image/avif",
            ".jxl" => "image/jxl",
            ".bmp" => "image/bmp",
            _ => "application/octet-stream",
        };
}
