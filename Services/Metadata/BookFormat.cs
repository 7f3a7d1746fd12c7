namespace Booklore.Tasks.Services.Metadata;

/// <summary>Book file formats, detected from the file's content rather than its extension.</summary>
public enum BookFormat
{
    Unknown = 0,
    Epub,
    Pdf,
    Cbz,
    Cbr,
    Cb7,
}
