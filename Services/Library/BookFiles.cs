using System.Security.Cryptography;

namespace Booklore.Tasks.Services.Library;

/// <summary>Finds book files in folders and identifies them by content.</summary>
public static class BookFiles
{
    private const int FingerprintChunk = 64 * 1024;

    public static IReadOnlySet<string> Extensions { get; } =
        new HashSet<string>([".epub", ".pdf", ".cbz", ".cbr", ".cb7"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Every book file under <paramref name="folder"/>, skipping hidden entries and folders it may not read.</summary>
    public static IEnumerable<FileInfo> Enumerate(string folder)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
            ReturnSpecialDirectories = false,
        };
        return new DirectoryInfo(folder)
            .EnumerateFiles("*", options)
            .Where(file => Extensions.Contains(file.Extension) && !file.Name.StartsWith('.'));
    }

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
}
