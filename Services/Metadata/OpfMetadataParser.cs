using System.Xml.Linq;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>Reads <see cref="BookMetadata"/> from an EPUB 2 or EPUB 3 package document (OPF).</summary>
internal static class OpfMetadataParser
{
    private static readonly string[] PublicationEvents = ["publication", "published", "original-publication"];

    /// <summary>Parses the OPF bytes in any supported encoding.</summary>
    /// <exception cref="System.Xml.XmlException">The document is not well-formed XML.</exception>
    /// <exception cref="BookFileException">The document has no metadata element.</exception>
    public static BookMetadata Parse(byte[] opfBytes) => Parse(SafeXml.Parse(opfBytes));

    /// <exception cref="BookFileException">The document has no metadata element.</exception>
    public static BookMetadata Parse(XDocument document)
    {
        var package = OpfPackage.From(document);
        var identifiers = ReadIdentifiers(package);
        var (seriesName, seriesNumber) = ReadSeries(package);

        return new BookMetadata
        {
            Title = ReadTitle(package, "main") ?? FirstText(package, "title"),
            Subtitle = ReadTitle(package, "subtitle"),
            Authors = OpfCreators.Read(package),
            SeriesName = seriesName,
            SeriesNumber = seriesNumber,
            Publisher = FirstText(package, "publisher"),
            PublishedDate = ReadPublishedDate(package),
            Language = MetadataNormalizer.NormalizeLanguage(FirstText(package, "language")),
            Description = HtmlText.ToPlainText(package.Elements("description").FirstOrDefault()?.Value),
            Isbn10 = identifiers.Isbn10,
            Isbn13 = identifiers.Isbn13,
            Identifiers = identifiers.Identifiers,
            Subjects = MetadataNormalizer.CleanDistinct(package.Elements("subject").Select(subject => subject.Value)),
        };
    }

    private static string? FirstText(OpfPackage package, string localName) =>
        package.Elements(localName)
            .Select(element => MetadataNormalizer.CleanText(element.Value))
            .FirstOrDefault(text => text is not null);

    // EPUB 3 marks titles with a "title-type" refinement (main, subtitle, short, collection...).
    private static string? ReadTitle(OpfPackage package, string titleType) =>
        package.Elements("title")
            .Where(title => string.Equals(package.Refinement(title, "title-type")?.Trim(), titleType, StringComparison.OrdinalIgnoreCase))
            .Select(title => MetadataNormalizer.CleanText(title.Value))
            .FirstOrDefault(text => text is not null);

    /// <summary>
    /// Reads the EPUB 3 collection whose collection-type is "series" (other collections, such as
    /// sets or a test suite's grouping, are not series), else calibre's series meta elements.
    /// </summary>
    private static (string? Name, decimal? Number) ReadSeries(OpfPackage package)
    {
        foreach (var collection in package.Elements("meta"))
        {
            var isCollection = string.Equals(OpfPackage.Attribute(collection, "property"), "belongs-to-collection", StringComparison.OrdinalIgnoreCase);
            var type = package.Refinement(collection, "collection-type")?.Trim();
            var name = MetadataNormalizer.CleanText(collection.Value);
            if (isCollection && name is not null && string.Equals(type, "series", StringComparison.OrdinalIgnoreCase))
            {
                return (name, MetadataNormalizer.ParseSeriesNumber(package.Refinement(collection, "group-position")));
            }
        }

        var calibreName = MetadataNormalizer.CleanText(package.Meta("calibre:series"));
        return calibreName is null
            ? (null, null)
            : (calibreName, MetadataNormalizer.ParseSeriesNumber(package.Meta("calibre:series_index")));
    }

    private static IdentifierCollector ReadIdentifiers(OpfPackage package)
    {
        var collector = new IdentifierCollector();
        foreach (var identifier in package.Elements("identifier"))
        {
            var scheme = OpfPackage.Attribute(identifier, "scheme") ?? OnixScheme(package.Refinement(identifier, "identifier-type"));
            collector.Add(scheme, identifier.Value);
        }

        return collector;
    }

    // ONIX code list 5: 02 is ISBN-10 and 15 is ISBN-13. Other codes give no scheme.
    private static string? OnixScheme(string? code) => code?.Trim() switch
    {
        "02" or "15" => "isbn",
        _ => null,
    };

    private static PartialDate? ReadPublishedDate(OpfPackage package)
    {
        var dates = package.Elements("date").ToList();
        var publication = dates.FirstOrDefault(date =>
            PublicationEvents.Contains(OpfPackage.Attribute(date, "event")?.Trim(), StringComparer.OrdinalIgnoreCase));

        var date = ParseDate((publication ?? dates.FirstOrDefault())?.Value);
        return date ?? dates.Select(candidate => ParseDate(candidate.Value)).FirstOrDefault(parsed => parsed is not null);
    }

    /// <summary>
    /// Parses a dc:date. calibre writes 0101-01-01 when a book has no date, so that value means
    /// "missing" rather than the year 101.
    /// </summary>
    internal static PartialDate? ParseDate(string? text)
    {
        var date = PartialDate.TryParse(MetadataNormalizer.CleanText(text));
        return date is { Year: 101, Month: 1, Day: 1 } ? null : date;
    }
}
