namespace Booklore.Tasks.Services.Metadata;

/// <summary>
/// The outcome of reading one file: metadata, or an error naming the reason. A failed read
/// never carries metadata, so it can never blank a book.
/// </summary>
public sealed record MetadataReadResult
{
    private MetadataReadResult(BookFormat format, BookMetadata? metadata, string? error)
    {
        Format = format;
        Metadata = metadata;
        Error = error;
    }

    public BookFormat Format { get; }
    public BookMetadata? Metadata { get; }

    /// <summary>Why the file could not be read, in one sentence, for example "the PDF is password protected".</summary>
    public string? Error { get; }

    public bool Succeeded => Metadata is not null;

    public static MetadataReadResult Success(BookFormat format, BookMetadata metadata) => new(format, metadata, null);

    public static MetadataReadResult Failure(BookFormat format, string error) => new(format, null, error);
}
