namespace Booklore.Tasks.Services.Metadata;

/// <summary>
/// One pass over the entries of a comic archive: counts page images and keeps the ComicInfo.xml
/// nearest the root. Not thread-safe: create one per file.
/// </summary>
internal sealed class ComicArchiveScan(CancellationToken cancellationToken)
{
    /// <summary>Largest ComicInfo.xml read; real ones are a few kilobytes.</summary>
    internal const int MaxComicInfoBytes = 4 * 1024 * 1024;

    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".jxl", ".bmp", ".tif", ".tiff",
    };

    private int _comicInfoDepth = int.MaxValue;

    public int ImageCount { get; private set; }

    public (string EntryName, byte[] Bytes)? ComicInfo { get; private set; }

    /// <param name="key">The entry's path inside the archive.</param>
    /// <param name="isDirectory">Whether the entry is a folder.</param>
    /// <param name="isEncrypted">Whether the entry is encrypted.</param>
    /// <param name="size">The uncompressed size the archive declares for the entry.</param>
    /// <param name="openEntry">Opens the entry's decompressed content; called only for ComicInfo.xml.</param>
    /// <exception cref="BookFileException">The entry is encrypted, or a ComicInfo.xml is too large.</exception>
    public void Visit(string? key, bool isDirectory, bool isEncrypted, long size, Func<Stream> openEntry)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (isDirectory || key is null)
        {
            return;
        }

        if (isEncrypted)
        {
            throw new BookFileException("the archive is encrypted");
        }

        key = key.Replace('\\', '/');
        var segments = key.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || IsHiddenOrResourceFork(segments))
        {
            return;
        }

        var fileName = segments[^1];
        if (fileName.Equals("ComicInfo.xml", StringComparison.OrdinalIgnoreCase))
        {
            KeepComicInfo(key, size, depth: segments.Length - 1, openEntry);
        }
        else if (ImageExtensions.Contains(Path.GetExtension(fileName)))
        {
            ImageCount++;
        }
    }

    // macOS adds "__MACOSX/" resource forks and ".DS_Store"-style dot files to zips.
    private static bool IsHiddenOrResourceFork(string[] segments) =>
        segments[0].Equals("__MACOSX", StringComparison.OrdinalIgnoreCase)
        || segments.Any(segment => segment.StartsWith('.'));

    // The root ComicInfo.xml wins over nested ones; among equally deep ones the first wins.
    private void KeepComicInfo(string key, long size, int depth, Func<Stream> openEntry)
    {
        if (depth >= _comicInfoDepth)
        {
            return;
        }

        if (size > MaxComicInfoBytes)
        {
            throw BoundedStream.TooLarge(key, MaxComicInfoBytes);
        }

        using var content = openEntry();
        ComicInfo = (key, BoundedStream.ReadAll(content, MaxComicInfoBytes, key, cancellationToken));
        _comicInfoDepth = depth;
    }
}
