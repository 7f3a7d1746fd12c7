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
        try
        {
            using var document = PdfDocument.Open(path, options);
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
        var information = document.Information;
        var xmp = ReadXmp(document) ?? new XmpMetadata();
        var keywords = MetadataNormalizer.CleanText(information.Keywords);
        var comicInfo = ComicInfoInKeywords(keywords);
        var identifiers = new IdentifierCollector();
        identifiers.Add("isbn", xmp.Isbn);

        var metadata = new BookMetadata
        {
            Title = MetadataNormalizer.CleanText(information.Title) ?? xmp.Title,
            Authors = ReadAuthors(information.Author, xmp),
            SeriesName = xmp.SeriesName,
            SeriesNumber = MetadataNormalizer.ParseSeriesNumber(xmp.SeriesIndex),
            Publisher = xmp.Publisher,
            PublishedDate = ParsePdfDate(information.CreationDate) ?? PartialDate.TryParse(xmp.CreateDate),
            Language = MetadataNormalizer.NormalizeLanguage(xmp.Language),
            Description = MetadataNormalizer.CleanText(information.Subject) ?? xmp.Description,
            Isbn10 = identifiers.Isbn10,
            Isbn13 = identifiers.Isbn13,
            Identifiers = identifiers.Identifiers,
            Subjects = comicInfo is null ? SplitKeywords(keywords, xmp) : [],
            PageCount = document.NumberOfPages,
        };

        return comicInfo is null ? metadata : ComicInfoParser.FillMissing(metadata, comicInfo);
    }

    private static List<Contributor> ReadAuthors(string? infoAuthor, XmpMetadata xmp)
    {
        var names = AuthorNames.Split(infoAuthor);
        if (names.Count == 0)
        {
            names = MetadataNormalizer.CleanDistinct(xmp.Creators);
        }

        return names.Select(name => new Contributor(name)).ToList();
    }

    // Keywords are a comma or semicolon separated list by convention.
    private static IReadOnlyList<string> SplitKeywords(string? keywords, XmpMetadata xmp) =>
        keywords is null
            ? MetadataNormalizer.CleanDistinct(xmp.Subjects)
            : MetadataNormalizer.CleanDistinct(keywords.Split([',', ';']));

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
    /// Reads the date part of a PDF date string "D:YYYYMMDDHHmmSS+HH'mm'". Only the date is
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
