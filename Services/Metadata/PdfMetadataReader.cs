using System.Globalization;
using System.Xml;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Exceptions;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>Reads the Info dictionary, the XMP packet and the page count of a PDF with PdfPig.</summary>
internal static class PdfMetadataReader
{
    private const int MaxXmpBytes = 4 * 1024 * 1024;

    /// <exception cref="BookFileException">The PDF cannot be read; the message is the reason.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static BookMetadata Read(string path, CancellationToken cancellationToken)
    {
        // Lenient parsing recovers damaged cross-reference tables. PdfPig tries the empty user
        // password on its own, so PDFs that open without a prompt are read.
        // NOTE: nothing bounds PdfPig's parse time. PdfPig 0.1.16 finishes a PDF whose xref chain
        // loops in milliseconds (tested), but a parser loop on another file would block this thread.
        var options = new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true };
        // NOTE: PdfPig 0.1.16 keeps the whole file and its tokens in memory. A one-page PDF with
        // a 50 MB /Title string peaked at 1.1 GB resident (measured with /usr/bin/time -v).
        var bytes = ReadAllBytes(path, cancellationToken);

        // PdfPig would overflow the stack on such a loop, which ends the process, not this read.
        if (PdfReferenceChains.FindLoop(bytes) is { } loopStart)
        {
            throw new BookFileException($"the PDF is damaged: object {loopStart} starts a loop, or a chain longer than {PdfReferenceChains.MaxChainLength}, of objects that only refer to other objects");
        }

        cancellationToken.ThrowIfCancellationRequested();

        try
        {
            // PdfPig takes no token, so the stream stops the parse at its next read once the run is
            // cancelled. Without it the lenient search of a large damaged file runs to its end.
            using var file = new CancellableReadStream(new MemoryStream(bytes, writable: false), cancellationToken);
            using var document = PdfDocument.Open(file, options);
            cancellationToken.ThrowIfCancellationRequested();
            return ReadDocument(document);
        }
        catch (PdfDocumentEncryptedException exception)
        {
            throw new BookFileException("the PDF is password protected", exception);
        }
        catch (Exception exception) when (IsParserFailure(exception))
        {
            throw new BookFileException($"the PDF is damaged and cannot be parsed ({exception.Message})", exception);
        }
    }

    /// <summary>Reads the whole file like <see cref="File.ReadAllBytes(string)"/>, but stops between 1 MB chunks once cancelled.</summary>
    private static byte[] ReadAllBytes(string path, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        if (file.Length > Array.MaxLength)
        {
            throw new IOException($"The file is {file.Length} bytes long, more than the {Array.MaxLength} bytes a PDF may have here.");
        }

        var bytes = new byte[file.Length];
        var offset = 0;
        while (offset < bytes.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = file.Read(bytes, offset, Math.Min(1 << 20, bytes.Length - offset));
            if (read == 0)
            {
                // The file shrank while it was read; what was there is all there is.
                return bytes[..offset];
            }

            offset += read;
        }

        return bytes;
    }

    /// <summary>
    /// PdfPig reports most damage as <see cref="PdfDocumentFormatException"/>, but on some
    /// malformed files it leaks the runtime exceptions listed here from its parser.
    /// </summary>
    private static bool IsParserFailure(Exception exception) => exception is PdfDocumentFormatException
        or InvalidOperationException or ArgumentException or FormatException or OverflowException
        or IndexOutOfRangeException or KeyNotFoundException or InvalidCastException or NullReferenceException
        or EndOfStreamException;

    private static BookMetadata ReadDocument(PdfDocument document)
    {
        // NOTE: PdfPig 0.1.16 decodes Info strings as UTF-16BE after FE FF and as PDFDocEncoding
        // otherwise, so a PDF 2.0 UTF-8 string (after EF BB BF) reads as mojibake such as "Ã©".
        var information = document.Information;
        var xmp = ReadXmp(document);
        var keywords = MetadataNormalizer.CleanText(information.Keywords);
        var comicInfo = ComicInfoInKeywords(keywords);

        // Keywords are a comma or semicolon separated list by convention.
        var info = new InfoValues(
            MetadataNormalizer.CleanText(information.Title),
            AuthorNames.Split(information.Author),
            MetadataNormalizer.CleanText(information.Subject),
            comicInfo is null && keywords is not null ? MetadataNormalizer.CleanDistinct(keywords.Split([',', ';'])) : [],
            ParsePdfDate(information.CreationDate));
        var preferred = ChooseValues(info, xmp, InfoModifiedAt(information));
        var identifiers = new IdentifierCollector();
        identifiers.Add("isbn", xmp?.Isbn);

        var metadata = new BookMetadata
        {
            Title = preferred.Title,
            Authors = preferred.Authors.Select(name => new Contributor(name)).ToList(),
            SeriesName = xmp?.SeriesName,
            SeriesNumber = MetadataNormalizer.ParseSeriesNumber(xmp?.SeriesIndex),
            Publisher = xmp?.Publisher,
            PublishedDate = preferred.CreatedOn,
            Language = MetadataNormalizer.NormalizeLanguage(xmp?.Language),
            Description = preferred.Description,
            Isbn10 = identifiers.Isbn10,
            Isbn13 = identifiers.Isbn13,
            Identifiers = identifiers.Identifiers,
            Subjects = comicInfo is null ? preferred.Subjects : [],
            PageCount = document.NumberOfPages,
        };

        return comicInfo is null ? metadata : ComicInfoParser.FillMissing(metadata, comicInfo);
    }

    /// <summary>The fields that both the Info dictionary and the XMP packet can carry.</summary>
    private sealed record InfoValues(
        string? Title,
        IReadOnlyList<string> Authors,
        string? Description,
        IReadOnlyList<string> Subjects,
        PartialDate? CreatedOn);

    /// <summary>
    /// Merges the Info dictionary and the XMP packet field by field. XMP wins unless the Info
    /// /ModDate is later than the packet's xmp:MetadataDate or xmp:ModifyDate, which shows that
    /// a tool unaware of XMP edited the Info dictionary afterwards. calibre 6.13 applies the same
    /// rule (consolidate_metadata in calibre/ebooks/metadata/xmp.py). The other source fills
    /// each field that the preferred one leaves empty.
    /// </summary>
    private static InfoValues ChooseValues(InfoValues info, XmpMetadata? xmp, DateTimeOffset? infoModifiedAt)
    {
        if (xmp is null)
        {
            return info;
        }

        var fromXmp = new InfoValues(
            xmp.Title,
            MetadataNormalizer.CleanDistinct(xmp.Creators),
            xmp.Description,
            MetadataNormalizer.CleanDistinct(xmp.Subjects),
            PartialDate.TryParse(xmp.CreateDate));
        var infoIsNewer = infoModifiedAt is not null && xmp.ChangedAt is not null && infoModifiedAt > xmp.ChangedAt;
        var (first, second) = infoIsNewer ? (info, fromXmp) : (fromXmp, info);
        return new InfoValues(
            first.Title ?? second.Title,
            first.Authors.Count > 0 ? first.Authors : second.Authors,
            first.Description ?? second.Description,
            first.Subjects.Count > 0 ? first.Subjects : second.Subjects,
            first.CreatedOn ?? second.CreatedOn);
    }

    private static DateTimeOffset? InfoModifiedAt(DocumentInformation information)
    {
        try
        {
            return information.GetModifiedDateTimeOffset();
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            // A malformed /ModDate cannot show that the Info dictionary is newer.
            return null;
        }
    }

    /// <summary>Old comicbox versions store a whole ComicInfo.xml document in /Keywords.</summary>
    private static BookMetadata? ComicInfoInKeywords(string? keywords)
    {
        if (keywords is null || !keywords.StartsWith('<') || !keywords.Contains("<ComicInfo", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            return ComicInfoParser.Parse(System.Text.Encoding.UTF8.GetBytes(keywords));
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static XmpMetadata? ReadXmp(PdfDocument document)
    {
        if (!document.TryGetXmpMetadata(out var xmp))
        {
            return null;
        }

        try
        {
            var bytes = xmp.GetXmlBytes();
            return bytes.Length > MaxXmpBytes ? null : XmpMetadataParser.Parse(SafeXml.Parse(bytes.ToArray()));
        }
        catch (XmlException)
        {
            // A broken XMP packet leaves the Info dictionary, which is still worth reading.
            return null;
        }
    }

    /// <summary>
    /// Reads the date part of a PDF date string "D:YYYYMMDDHHmmSS+HH'mm'" or of an ISO 8601 date. Only the date is
    /// kept, because the time zone part is often malformed (missing apostrophes, "Z07'46'").
    /// </summary>
    internal static PartialDate? ParsePdfDate(string? text)
    {
        var value = MetadataNormalizer.CleanText(text);
        if (value is null)
        {
            return null;
        }

        if (value.StartsWith("D:", StringComparison.OrdinalIgnoreCase))
        {
            value = value[2..];
        }

        // Some producers write an ISO 8601 date ("2021-06-15") instead of the PDF form.
        if (value.Length > 4 && value[4] == '-' && value[..4].All(char.IsAsciiDigit))
        {
            return PartialDate.TryParse(value);
        }

        var digits = new string(value.TakeWhile(char.IsAsciiDigit).Take(8).ToArray());
        return digits.Length switch
        {
            >= 8 => PartialDate.TryParse(string.Create(CultureInfo.InvariantCulture, $"{digits[..4]}-{digits[4..6]}-{digits[6..8]}")),
            >= 6 => PartialDate.TryParse($"{digits[..4]}-{digits[4..6]}"),
            >= 4 => PartialDate.TryParse(digits[..4]),
            _ => PartialDate.TryParse(value),
        };
    }
}
