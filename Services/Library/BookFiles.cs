using System.Security.Cryptography;

namespace Booklore.Tasks.Services.Library;

/// <summary>Finds book files in folders and identifies them by content.</summary>
public static class BookFiles
{
    private const int FingerprintChunk = 64 * 1024;

    // A safety net for link chains that the path comparison below misses, because it compares paths as text.
    private const int MaxFolderDepth = 64;

    private static readonly EnumerationOptions ListOptions = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        ReturnSpecialDirectories = false,
    };

    public static IReadOnlySet<string> Extensions { get; } =
        new HashSet<string>([".epub", ".pdf", ".cbz", ".cbr", ".cb7"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Every book file under <paramref name="folder"/>, skipping hidden entries and folders it
    /// may not read. A symbolic link to a folder is followed unless its target overlaps a folder
    /// that is already walked: the library folder, or the target of another followed link. So a
    /// link loop cannot list the same files again and again. Each folder or link not followed is
    /// passed to <paramref name="onFolderSkipped"/> with its path and the reason.
    /// </summary>
    public static IEnumerable<FileInfo> Enumerate(string folder, Action<string, string>? onFolderSkipped = null)
    {
        var root = new DirectoryInfo(folder);
        var rootRealPath = ResolveRealPath(root) ?? root.FullName;
        var walked = new List<string> { rootRealPath };
        var pending = new Stack<(DirectoryInfo Directory, string RealPath, int Depth)>();
        pending.Push((root, rootRealPath, 0));
        while (pending.TryPop(out var current))
        {
            foreach (var entry in ListEntries(current.Directory))
            {
                if (entry is FileInfo file)
                {
                    if (Extensions.Contains(file.Extension) && !file.Name.StartsWith('.'))
                    {
                        yield return file;
                    }

                    continue;
                }

                var realPath = Path.Combine(current.RealPath, entry.Name);
                if (current.Depth + 1 > MaxFolderDepth)
                {
                    onFolderSkipped?.Invoke(entry.FullName, $"the folder is more than {MaxFolderDepth} levels below the library folder, so it was not scanned");
                    continue;
                }

                if (entry.LinkTarget is not null)
                {
                    var target = ResolveRealPath(new DirectoryInfo(realPath));
                    var reason = target is null
                        ? "the symbolic link could not be resolved (it loops or its target is missing), so it was not followed"
                        : walked.Find(seen => IsSameOrInside(target, seen) || IsSameOrInside(seen, target)) is { } overlap
                            ? $"the symbolic link points to '{target}', which overlaps '{overlap}' that this scan already walks, so it was not followed"
                            : null;
                    if (reason is not null)
                    {
                        onFolderSkipped?.Invoke(entry.FullName, reason);
                        continue;
                    }

                    walked.Add(target!);
                    realPath = target!;
                }

                pending.Push(((DirectoryInfo)entry, realPath, current.Depth + 1));
            }
        }
    }

    /// <summary>Returns the placeholder title of a book whose file has none: the file name without its extension.</summary>
    public static string TitleFromFileName(string path) => Path.GetFileNameWithoutExtension(path);

    /// <summary>Returns the file's modification time in UTC, as books store it.</summary>
    public static DateTimeOffset ModifiedAt(FileInfo file) => new(file.LastWriteTimeUtc, TimeSpan.Zero);

    /// <summary>
    /// SHA-256 over the file's length, first 64 KiB and last 64 KiB: cheap on large files and
    /// enough to recognise a file that was moved or renamed.
    /// </summary>
    public static async Task<string> FingerprintAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.RandomAccess);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(stream.Length));
        var buffer = new byte[FingerprintChunk];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        hash.AppendData(buffer, 0, read);
        if (stream.Length > FingerprintChunk)
        {
            stream.Seek(Math.Max(FingerprintChunk, stream.Length - FingerprintChunk), SeekOrigin.Begin);
            read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            hash.AppendData(buffer, 0, read);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static List<FileSystemInfo> ListEntries(DirectoryInfo directory)
    {
        try
        {
            return directory.EnumerateFileSystemInfos("*", ListOptions).ToList();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The folder vanished or cannot be read; its books are then reported missing by the caller's comparison.
            return [];
        }
    }

    /// <summary>Returns the full path that a folder link finally points to, the folder's own path if it is no link, or null if the link loops or dangles.</summary>
    private static string? ResolveRealPath(DirectoryInfo directory)
    {
        try
        {
            if (directory.LinkTarget is null)
            {
                return Path.TrimEndingDirectorySeparator(directory.FullName);
            }

            var target = directory.ResolveLinkTarget(returnFinalTarget: true);
            return target is { Exists: true } ? Path.TrimEndingDirectorySeparator(Path.GetFullPath(target.FullName)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsSameOrInside(string path, string folder) =>
        path.Equals(folder, StringComparison.Ordinal)
        || path.StartsWith(Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
