namespace Booklore.Tasks.Services.Metadata;

/// <summary>
/// A book file that cannot be read, with the reason as one sentence for the user, such as
/// "the archive is encrypted". Thrown by the format readers and turned into a failed
/// <see cref="MetadataReadResult"/> by <see cref="BookFileReader"/>.
/// </summary>
internal sealed class BookFileException : Exception
{
    public BookFileException(string reason)
        : base(reason)
    {
    }

    public BookFileException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }
}
