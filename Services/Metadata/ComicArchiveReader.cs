using System.Xml;
using SharpCompress.Archives;
using SharpCompress.Archives.SevenZip;
using SharpCompress.Archives.Zip;
using SharpCompress.Common;
using SharpCompress.Readers;
using SharpCompress.Readers.Rar;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>Reads ComicInfo.xml and counts the page images of a CBZ, CBR or CB7 archive.</summary>
internal static class ComicArchiveReader
{
    /// <summary>
    /// Reads a CBZ through the zip that format detection already opened. On generated CBZs,
    /// System.IO.Compression opened the zip and read ComicInfo.xml in a third to a fifth of
    /// SharpCompress's time. SharpCompress remains the fallback for a zip that it cannot open
    /// and for a ComicInfo.xml compressed with a method that it lacks (LZMA, BZip2, PPMd and
    /// others that 7-Zip can write).
    /// </summary>
    /// <param name="zip">The open zip, or null when its central directory could not be read.</param>
    /// <param name="stream">The whole file, read again from its start by the fallback.</param>
    /// <exception cref="BookFileException">The archive cannot be read; the message is the reason.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static BookMetadata ReadZip(System.IO.Compression.ZipArchive? zip, Stream stream, CancellationToken cancellationToken)
    {
        if (zip is null)
        {
            return Read(stream, BookFormat.Cbz, cancellationToken);
        }

        var scan = new ComicArchiveScan(cancellationToken);
        try
        {
            foreach (var entry in zip.Entries)
            {
                var isDirectory = entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\');
                scan.Visit(entry.FullName, isDirectory, entry.IsEncrypted, entry.Length, entry.Open);
            }
        }
        catch (InvalidDataException)
        {
            stream.Position = 0;
            return Read(stream, BookFormat.Cbz, cancellationToken);
        }

        return BuildMetadata(scan);
    }

    /// <summary>Reads a CBZ, CBR or CB7 archive with SharpCompress.</summary>
    /// <exception cref="BookFileException">The archive cannot be read; the message is the reason.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static BookMetadata Read(Stream stream, BookFormat format, CancellationToken cancellationToken)
    {
        var scan = new ComicArchiveScan(cancellationToken);
        try
        {
            if (format == BookFormat.Cbr)
            {
                ScanRar(stream, scan);
            }
            else
            {
                ScanArchive(stream, format, scan);
            }
        }
        catch (SharpCompress.Common.CryptographicException exception)
        {
            throw new BookFileException("the archive is encrypted", exception);
        }
        catch (Exception exception) when (IsArchiveFailure(exception))
        {
            throw new BookFileException($"the archive is truncated or corrupt ({exception.Message})", exception);
        }

        return BuildMetadata(scan);
    }

    /// <summary>
    /// SharpCompress reports most damage as <see cref="SharpCompressException"/>, but on some
    /// malformed archives it leaks the runtime exceptions listed here.
    /// </summary>
    private static bool IsArchiveFailure(Exception exception) => exception is SharpCompressException
        or InvalidDataException or EndOfStreamException or InvalidOperationException or ArgumentException
        or IndexOutOfRangeException or NotSupportedException or OverflowException;

    // A forward-only reader, because the RAR archive API fails on an empty RAR (no file headers)
    // and a solid RAR has to be decompressed in order anyway.
    private static void ScanRar(Stream stream, ComicArchiveScan scan)
    {
        using var reader = RarReader.OpenReader(stream, new ReaderOptions { LeaveStreamOpen = true });
        while (reader.MoveToNextEntry())
        {
            var entry = reader.Entry;

            // The reader stops without an error at the end of a truncated RAR, which would give
            // a success with the pages and ComicInfo.xml that were cut off missing. The stream
            // is at the start of the entry's data here.
            if (stream.Position + entry.CompressedSize > stream.Length)
            {
                throw new BookFileException($"the archive is truncated: the entry '{entry.Key}' ends after the end of the file");
            }

            scan.Visit(entry.Key, entry.IsDirectory, entry.IsEncrypted, entry.Size, reader.OpenEntryStream);
        }
    }

    private static void ScanArchive(Stream stream, BookFormat format, ComicArchiveScan scan)
    {
        var options = new ReaderOptions { LeaveStreamOpen = true };
        using var archive = format == BookFormat.Cb7
            ? SevenZipArchive.OpenArchive(stream, options)
            : ZipArchive.OpenArchive(stream, options);

        if (archive.IsEncrypted)
        {
            throw new BookFileException("the archive is encrypted");
        }

        foreach (var entry in archive.Entries)
        {
            scan.Visit(entry.Key, entry.IsDirectory, entry.IsEncrypted, entry.Size, entry.OpenEntryStream);
        }
    }

    /// <summary>
    /// Takes the metadata from ComicInfo.xml and the page count from the image entries, because
    /// the reader shows image entries and ComicInfo's PageCount is often stale (0 while the
    /// archive has five pages).
    /// </summary>
    private static BookMetadata BuildMetadata(ComicArchiveScan scan)
    {
        var metadata = new BookMetadata();
        if (scan.ComicInfo is { } comicInfo)
        {
            try
            {
                metadata = ComicInfoParser.Parse(comicInfo.Bytes);
            }
            catch (XmlException exception)
            {
                throw new BookFileException($"the entry '{comicInfo.EntryName}' is not well-formed XML ({exception.Message})", exception);
            }
        }

        return metadata with { PageCount = scan.ImageCount };
    }
}
