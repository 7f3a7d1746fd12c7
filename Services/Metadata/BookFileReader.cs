using System.IO.Compression;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>
/// Reads embedded metadata from EPUB, PDF and comic archive files. Stateless, so one instance
/// can serve several threads at once.
/// </summary>
public sealed partial class BookFileReader : IBookFileReader
{
    private readonly ILogger<BookFileReader> _logger;

    public BookFileReader()
        : this(NullLogger<BookFileReader>.Instance)
    {
    }

    public BookFileReader(ILogger<BookFileReader> logger)
    {
        _logger = logger;
    }

    /// <inheritdoc />
    /// <remarks>Returns <see cref="BookFormat.Unknown"/> when the file cannot be opened.</remarks>
    public BookFormat DetectFormat(string path)
    {
        try
        {
            return BookFormatDetector.Detect(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogFileNotOpened(path, exception);
            return BookFormat.Unknown;
        }
    }

    /// <inheritdoc />
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public MetadataReadResult Read(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        cancellationToken.ThrowIfCancellationRequested();

        var format = BookFormat.Unknown;
        try
        {
            // One open file (and for zips one open archive) serves detection and reading.
            using var stream = File.OpenRead(path);
            format = BookFormatDetector.Detect(stream, path, out var zip);
            using (zip)
            {
                var metadata = ReadFormat(path, stream, zip, format, cancellationToken);
                return MetadataReadResult.Success(format, metadata);
            }
        }
        catch (BookFileException exception)
        {
            return Fail(path, format, exception.Message, exception);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Fail(path, format, $"the file could not be read ({exception.Message})", exception);
        }
#pragma warning disable CA1031 // A parser bug on one odd file must become that book's warning, not end a whole run.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogUnexpectedFailure(path, format, exception);
            return Fail(path, format, $"the {format} reader failed unexpectedly ({exception.GetType().Name}: {exception.Message})", exception);
        }
    }

    private static BookMetadata ReadFormat(string path, Stream stream, ZipArchive? zip, BookFormat format,
        CancellationToken cancellationToken)
    {
        stream.Position = 0;
        return format switch
        {
            BookFormat.Epub => EpubMetadataReader.Read(zip, cancellationToken),
            BookFormat.Pdf => PdfMetadataReader.Read(path, cancellationToken),
            BookFormat.Cbz => ComicArchiveReader.ReadZip(zip, stream, cancellationToken),
            BookFormat.Cbr or BookFormat.Cb7 => ComicArchiveReader.Read(stream, format, cancellationToken),
            _ => throw new BookFileException(UnknownFormatReason(path)),
        };
    }

    private static string UnknownFormatReason(string path)
    {
        var length = new FileInfo(path).Length;
        return length == 0
            ? $"'{Path.GetFileName(path)}' is empty (0 bytes)"
            : $"'{Path.GetFileName(path)}' is not an EPUB, PDF, CBZ, CBR or CB7 file (its content has none of their signatures)";
    }

    private MetadataReadResult Fail(string path, BookFormat format, string reason, Exception exception)
    {
        LogReadFailed(path, format, reason, exception);
        return MetadataReadResult.Failure(format, reason);
    }

    // Debug level: the caller reports each failure with its path and reason, so this only adds the stack trace.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading metadata from {Path} ({Format}) failed: {Reason}")]
    private partial void LogReadFailed(string path, BookFormat format, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Detecting the format of {Path} failed because the file could not be opened")]
    private partial void LogFileNotOpened(string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure reading {BookPath} as {Format}; the reader should turn this into a known reason")]
    private partial void LogUnexpectedFailure(string bookPath, BookFormat format, Exception exception);
}
