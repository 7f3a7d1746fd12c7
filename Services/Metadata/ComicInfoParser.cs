namespace Booklore.Tasks.Services.Metadata;

/// <summary>
/// Reads ComicInfo.xml as defined by the Anansi Project schema (v2.0, with the v2.1 draft's
/// GTIN, Tags and Translator elements). Element names are matched in any letter case.
/// </summary>
internal static class ComicInfoParser
{
    // ComicInfo credit elements and the Contributor role each one maps to, in display order.
    private static readonly (string Element, string Role)[] Credits =
    [
        ("Writer", "writer"),
        ("Penciller", "penciller"),
        ("Inker", "inker"),
        ("Colorist", "colorist"),
        ("Letterer", "letterer"),
        ("CoverArtist", "cover artist"),
        ("Editor", "editor"),
        ("Translator", "translator"),
    ];

    /// <exception cref="System.Xml.XmlException">The document is not well-formed XML.</exception>
    public static BookMetadata Parse(byte[] bytes)
    {
        var root = SafeXml.Parse(bytes).Root;
        var fields = root?.Elements()
            .GroupBy(element => element.Name.LocalName, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(group => group.Key, group => group.First().Value, StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        string? Text(string name) => fields.TryGetValue(name, out var value) ? MetadataNormalizer.CleanText(value) : null;

        var identifiers = new IdentifierCollector();
        identifiers.Add("gtin", Text("GTIN"));
        foreach (var url in SplitList(Text("Web"), ' '))
        {
            identifiers.Add("uri", url);
        }

        return new BookMetadata
        {
            Title = Text("Title"),
            Authors = ReadCredits(Text),
            SeriesName = Text("Series"),
            SeriesNumber = MetadataNormalizer.ParseSeriesNumber(Text("Number")),
            SeriesTotal = Positive(MetadataNormalizer.ParseInteger(Text("Count"))),
            Volume = Positive(MetadataNormalizer.ParseInteger(Text("Volume"))),
            Publisher = Text("Publisher"),
            PublishedDate = ReadDate(Text("Year"), Text("Month"), Text("Day")),
            Language = MetadataNormalizer.NormalizeLanguage(Text("LanguageISO")),
            Description = HtmlText.ToPlainText(Text("Summary")),
            Isbn10 = identifiers.Isbn10,
            Isbn13 = identifiers.Isbn13,
            Identifiers = identifiers.Identifiers,
            Subjects = MetadataNormalizer.CleanDistinct(SplitList(Text("Genre"), ',').Concat(SplitList(Text("Tags"), ','))),
            PageCount = Positive(MetadataNormalizer.ParseInteger(Text("PageCount"))),
            StoryArc = Text("StoryArc"),
            AgeRating = IsUnknown(Text("AgeRating")) ? null : Text("AgeRating"),
        };
    }

    /// <summary>Returns <paramref name="target"/> with each empty field taken from <paramref name="source"/>.</summary>
    public static BookMetadata FillMissing(BookMetadata target, BookMetadata source) => target with
    {
        Title = target.Title ?? source.Title,
        Authors = target.Authors.Count > 0 ? target.Authors : source.Authors,
        SeriesName = target.SeriesName ?? source.SeriesName,
        SeriesNumber = target.SeriesNumber ?? source.SeriesNumber,
        SeriesTotal = target.SeriesTotal ?? source.SeriesTotal,
        Volume = target.Volume ?? source.Volume,
        Publisher = target.Publisher ?? source.Publisher,
        PublishedDate = target.PublishedDate ?? source.PublishedDate,
        Language = target.Language ?? source.Language,
        Description = target.Description ?? source.Description,
        Isbn10 = target.Isbn10 ?? source.Isbn10,
        Isbn13 = target.Isbn13 ?? source.Isbn13,
        Identifiers = target.Identifiers.Count > 0 ? target.Identifiers : source.Identifiers,
        Subjects = target.Subjects.Count > 0 ? target.Subjects : source.Subjects,
        StoryArc = target.StoryArc ?? source.StoryArc,
        AgeRating = target.AgeRating ?? source.AgeRating,
    };

    private static List<Contributor> ReadCredits(Func<string, string?> text)
    {
        var contributors = new List<Contributor>();
        foreach (var (element, role) in Credits)
        {
            foreach (var name in MetadataNormalizer.CleanDistinct(SplitList(text(element), ',')))
            {
                contributors.Add(new Contributor(name, role));
            }
        }

        return contributors;
    }

    // The schema uses -1 (Year, Month, Day, Count, Volume) and 0 (PageCount) for "not set".
    private static PartialDate? ReadDate(string? year, string? month, string? day)
    {
        var yearNumber = MetadataNormalizer.ParseInteger(year);
        if (yearNumber is not (>= 1 and <= 9999))
        {
            return null;
        }

        var monthNumber = MetadataNormalizer.ParseInteger(month);
        if (monthNumber is not (>= 1 and <= 12))
        {
            return new PartialDate(yearNumber.Value);
        }

        var dayNumber = MetadataNormalizer.ParseInteger(day);
        var isValidDay = dayNumber >= 1 && dayNumber <= DateTime.DaysInMonth(yearNumber.Value, monthNumber.Value);
        return new PartialDate(yearNumber.Value, monthNumber, isValidDay ? dayNumber : null);
    }

    private static int? Positive(int? value) => value > 0 ? value : null;

    private static bool IsUnknown(string? value) => string.Equals(value, "Unknown", StringComparison.OrdinalIgnoreCase);

    private static string[] SplitList(string? value, char separator) =>
        value?.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
}
