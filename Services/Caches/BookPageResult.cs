namespace Booklore.Tasks.Services.Caches;

/// <summary>Outcome of a page request: <see cref="BookPageFound"/> or <see cref="BookPageNotFound"/>.</summary>
public abstract record BookPageResult;

/// <summary>
/// A page image opened for reading. The caller disposes <see cref="Content"/>; the open stream
/// stays readable even if a clear deletes the cached file meanwhile (on Linux and with
/// FileShare.Delete on Windows).
/// </summary>
public sealed record BookPageFound(Stream Content, string ContentType, string FilePath, int PageCount) : BookPageResult;

/// <summary>
/// The page does not exist: the number is out of range, the book file is missing, or the format
/// has no page images (EPUB). <see cref="PageCount"/> is null when it is unknown.
/// </summary>
public sealed record BookPageNotFound(int PageNumber, int? PageCount, string Message) : BookPageResult;
