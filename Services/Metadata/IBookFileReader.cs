namespace Booklore.Tasks.Services.Metadata;

/// <summary>
/// Reads the metadata embedded in a book file of any supported format. Implementations never
/// throw for a bad file: a malformed, truncated, encrypted or unsupported file gives a failed
/// <see cref="MetadataReadResult"/> with the reason. Only cancellation throws.
/// </summary>
public interface IBookFileReader
{
    /// <summary>Detects the format from the first bytes of the file and, for zips, their entries.</summary>
    BookFormat DetectFormat(string path);

    MetadataReadResult Read(string path, CancellationToken cancellationToken);
}
