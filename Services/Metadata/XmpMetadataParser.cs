using System.Globalization;
using System.Xml.Linq;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>The metadata fields read from a PDF's XMP packet.</summary>
internal sealed record XmpMetadata
{
    public string? Title { get; init; }
    public IReadOnlyList<string> Creators { get; init; } = [];
    public string? Description { get; init; }
    public IReadOnlyList<string> Subjects { get; init; } = [];
    public string? Language { get; init; }
    public string? Publisher { get; init; }
    public string? CreateDate { get; init; }
    public string? Isbn { get; init; }
    public string? SeriesName { get; init; }
    public string? SeriesIndex { get; init; }

    /// <summary>When the packet was last changed: the later of xmp:MetadataDate and xmp:ModifyDate.</summary>
    public DateTimeOffset? ChangedAt { get; init; }
}

/// <summary>
/// Reads Dublin Core, XMP basic, PRISM and calibre properties from an XMP packet. Namespaces are
/// matched by their URI and properties by local name, so any prefix works.
/// </summary>
internal static class XmpMetadataParser
{
    private const string DublinCore = "http://purl.org/dc/elements/1.1/";
    private const string XmpBasic = "http://ns.adobe.com/xap/1.0/";

    public static XmpMetadata Parse(XDocument document)
    {
        var series = Property(document, IsCalibre, "series").FirstOrDefault();
        return new XmpMetadata
        {
            Title = Values(document, DublinCore, "title").FirstOrDefault(),
            Creators = Values(document, DublinCore, "creator").ToList(),
            Description = Values(document, DublinCore, "description").FirstOrDefault(),
            Subjects = Values(document, DublinCore, "subject").ToList(),
            Language = Values(document, DublinCore, "language").FirstOrDefault(),
            Publisher = Values(document, DublinCore, "publisher").FirstOrDefault(),
            CreateDate = Values(document, XmpBasic, "CreateDate").FirstOrDefault(),
            Isbn = Property(document, IsPrism, "isbn").SelectMany(ItemValues).FirstOrDefault(),
            SeriesName = series is null ? null : ChildValue(series, "value") ?? Clean(series.Value),
            SeriesIndex = Property(document, IsCalibre, "series_index").SelectMany(ItemValues).FirstOrDefault()
                ?? (series is null ? null : ChildValue(series, "series_index")),
            ChangedAt = Later(
                ParseDate(Values(document, XmpBasic, "MetadataDate").FirstOrDefault()),
                ParseDate(Values(document, XmpBasic, "ModifyDate").FirstOrDefault())),
        };
    }

    // XMP dates are ISO 8601; one without a time zone is taken as UTC.
    private static DateTimeOffset? ParseDate(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;

    private static DateTimeOffset? Later(DateTimeOffset? first, DateTimeOffset? second) =>
        first is null ? second : second is null ? first : first > second ? first : second;

    private static IEnumerable<string> Values(XDocument document, string namespaceUri, string localName) =>
        Property(document, ns => ns == namespaceUri, localName).SelectMany(ItemValues)
            .Concat(AttributeValues(document, namespaceUri, localName));

    private static IEnumerable<XElement> Property(XDocument document, Func<string, bool> isNamespace, string localName) =>
        document.Descendants().Where(element =>
            element.Name.LocalName == localName && isNamespace(element.Name.NamespaceName));

    // Values of an rdf:Alt, rdf:Seq or rdf:Bag (its rdf:li items), or the element's own text.
    private static IEnumerable<string> ItemValues(XElement property)
    {
        var items = property.Descendants().Where(element => element.Name.LocalName == "li").ToList();
        var texts = items.Count > 0 ? items.Select(item => item.Value) : [property.Value];
        return texts.Select(Clean).OfType<string>();
    }

    // The simple form <rdf:Description dc:title="..."/>.
    private static IEnumerable<string> AttributeValues(XDocument document, string namespaceUri, string localName) =>
        document.Descendants()
            .Select(element => element.Attribute(XName.Get(localName, namespaceUri))?.Value)
            .Select(Clean)
            .OfType<string>();

    private static string? ChildValue(XElement element, string localName) =>
        Clean(element.Descendants().FirstOrDefault(child => child.Name.LocalName == localName)?.Value);

    /// <summary>
    /// Cleans a value. Ghostscript writes PDF string escapes into XMP ("Bizet \(1838-1875\)"),
    /// so escaped parentheses and backslashes are unescaped.
    /// </summary>
    private static string? Clean(string? value) => MetadataNormalizer.CleanText(value?
        .Replace(@"\(", "(", StringComparison.Ordinal)
        .Replace(@"\)", ")", StringComparison.Ordinal)
        .Replace(@"\\", @"\", StringComparison.Ordinal));

    private static bool IsPrism(string namespaceUri) =>
        namespaceUri.StartsWith("http://prismstandard.org/namespaces/", StringComparison.OrdinalIgnoreCase);

    private static bool IsCalibre(string namespaceUri) =>
        namespaceUri.StartsWith("http://calibre-ebook.com/xmp-namespace", StringComparison.OrdinalIgnoreCase);
}
