using System.IO.Enumeration;

namespace Booklore.Tasks.Services.Caches;

/// <summary>One file or link found under a cache root.</summary>
internal readonly record struct CacheTreeEntry(string FullPath, long Length, bool IsLink, bool IsDirectory, DateTimeOffset LastWriteTime);

/// <summary>
/// Enumerates the files of a cache folder without following symbolic links: a link is returned as
/// an entry of its own (with length 0, because deleting it frees no data) and never recursed into.
/// </summary>
internal static class CacheTree
{
    private static readonly EnumerationOptions Recursive = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = 0,
        IgnoreInaccessible = true,
        ReturnSpecialDirectories = false,
    };

    private static readonly EnumerationOptions TopLevel = new()
    {
        RecurseSubdirectories = false,
        AttributesToSkip = 0,
        IgnoreInaccessible = true,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Enumerates files and links (of files or of folders) under <paramref name="folder"/>.</summary>
    public static IEnumerable<CacheTreeEntry> EnumerateFiles(string folder, bool recurse = true)
    {
        return new FileSystemEnumerable<CacheTreeEntry>(folder, ToEntry, recurse ? Recursive : TopLevel)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory || IsLink(ref entry),
            ShouldRecursePredicate = (ref FileSystemEntry entry) => !IsLink(ref entry),
        };
    }

    /// <summary>Enumerates real folders (not links to folders) under <paramref name="folder"/>.</summary>
    public static IEnumerable<string> EnumerateFolders(string folder, bool recurse = true)
    {
        return new FileSystemEnumerable<string>(folder, (ref FileSystemEntry entry) => entry.ToFullPath(), recurse ? Recursive : TopLevel)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => entry.IsDirectory && !IsLink(ref entry),
            ShouldRecursePredicate = (ref FileSystemEntry entry) => !IsLink(ref entry),
        };
    }

    /// <summary>Returns the full path of <paramref name="root"/> with a trailing separator, links resolved.</summary>
    public static string ResolveRoot(string root)
    {
        var info = new DirectoryInfo(Path.GetFullPath(root));
        var resolved = info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
        return Path.TrimEndingDirectorySeparator(resolved.FullName) + Path.DirectorySeparatorChar;
    }

    /// <summary>Returns the book folder name of a path under <paramref name="rootPrefix"/>, or "" for files in the root.</summary>
    public static ReadOnlySpan<char> FolderKey(string fullPath, string rootPrefix)
    {
        var relative = fullPath.AsSpan(rootPrefix.Length);
        var separator = relative.IndexOfAny(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return separator < 0 ? [] : relative[..separator];
    }

    private static CacheTreeEntry ToEntry(ref FileSystemEntry entry)
    {
        var isLink = IsLink(ref entry);
        return new CacheTreeEntry(
            entry.ToFullPath(),
            isLink ? 0 : entry.Length,
            isLink,
            entry.IsDirectory,
            entry.LastWriteTimeUtc);
    }

    private static bool IsLink(ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) != 0;
}
