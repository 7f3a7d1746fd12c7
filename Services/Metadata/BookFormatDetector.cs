using System.IO.Compression;
using System.Text;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>Detects a book file's format from its first bytes and, for zips, from their entries.</summary>
internal static class BookFormatDetector
{
    private const int PdfHeaderSearchLength = 1024;

    private static readonly byte[] PdfMagic = "%PDF"u8.ToArray();
    private static readonly byte[] ZipLocalHeader = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] ZipEmptyArchive = [0x50, 0x4B, 0x05, 0x06];
    private static readonly byte[] RarMagic = [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07];
    private static readonly byte[] SevenZipMagic = [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C];

    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be opened.</exception>
    public static BookFormat Detect(string path)
    {
        using var stream = File.OpenRead(path);
        var format = Detect(stream, path, out var zip);
        zip?.Dispose();
        return format;
    }

    /// <summary>
    /// Detects the format of an open file. For a zip whose central directory can be read,
    /// <paramref name="zip"/> is the open archive (left open over <paramref name="stream"/>), so
    /// the reader does not open the zip a second time; the caller disposes it.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static BookFormat Detect(Stream stream, string path, out ZipArchive? zip)
    {
        zip = null;
        var head = new byte[PdfHeaderSearchLength];
        var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var bytes = head.AsSpan(0, length);

        if (bytes.StartsWith(ZipLocalHeader) || bytes.StartsWith(ZipEmptyArchive))
        {
            stream.Position = 0;
            return DetectZipContent(stream, path, out zip);
        }

        if (bytes.StartsWith(RarMagic))
        {
            return BookFormat.Cbr;
        }

        if (bytes.StartsWith(SevenZipMagic))
        {
            return BookFormat.Cb7;
        }

        // PDF readers accept junk before the header, so look in the first kilobyte.
        return bytes.IndexOf(PdfMagic) >= 0 ? BookFormat.Pdf : BookFormat.Unknown;
    }

    /// <summary>
    /// Returns Epub for a zip with an "application/epub+zip" mimetype entry or a
    /// META-INF/container.xml entry, otherwise Cbz.
    /// </summary>
    private static BookFormat DetectZipContent(Stream stream, string path, out ZipArchive? zip)
    {
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            // NOTE: a zip without a readable central directory shows no entries, so only the
            // extension can tell an EPUB from a comic. Reading the file then fails with the reason.
            zip = null;
            stream.Position = 0;
            return Path.GetExtension(path).Equals(".epub", StringComparison.OrdinalIgnoreCase)
                ? BookFormat.Epub
                : BookFormat.Cbz;
        }

        // Names first, because reading the mimetype entry costs an entry stream per file.
        var hasContainer = zip.Entries.Any(entry =>
            entry.FullName.Equals("META-INF/container.xml", StringComparison.OrdinalIgnoreCase));
        return hasContainer || zip.Entries.Any(IsEpubMimetype) ? BookFormat.Epub : BookFormat.Cbz;
    }

    private static bool IsEpubMimetype(ZipArchiveEntry entry)
    {
        if (!entry.FullName.Equals("mimetype", StringComparison.Ordinal) || entry.Length > 100)
        {
            return false;
        }

        try
        {
            using var content = entry.Open();
            var buffer = new byte[100];
            var length = content.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            var mediaType = Encoding.ASCII.GetString(buffer, 0, length).Trim();
            return mediaType.Equals("application/epub+zip", StringComparison.OrdinalIgnoreCase);
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
