namespace Booklore.Tasks.Services.Metadata;

/// <summary>
/// Metadata as read from one book file, or as stored on a book. Empty text is null and empty
/// lists are empty, so "missing" has one meaning everywhere.
/// </summary>
public sealed record BookMetadata
{
    public string? Title { get; init; }
    public string? Subtitle { get; init; }
    public IReadOnlyList<Contributor> Authors { get; init; } = [];
    public string? SeriesName { get; init; }
    public decimal? SeriesNumber { get; init; }
    public int? SeriesTotal { get; init; }
    public string? Publisher { get; init; }
    public PartialDate? PublishedDate { get; init; }

    /// <summary>BCP 47 language tag, for example "en" or "pt-BR".</summary>
    public string? Language { get; init; }
    public string? Description { get; init; }
    public string? Isbn10 { get; init; }
    public string? Isbn13 { get; init; }
    public IReadOnlyList<BookIdentifier> Identifiers { get; init; } = [];
    public IReadOnlyList<string> Subjects { get; init; } = [];
    public int? PageCount { get; init; }

    /// <summary>Comic volume (ComicInfo Volume), often a year such as 2016.</summary>
    public int? Volume { get; init; }
    public string? StoryArc { get; init; }
    public string? AgeRating { get; init; }
}

/// <summary>
/// A person credited on a book. Role is a lower-case word: "author" for writers of prose,
/// and for comics the ComicInfo credit ("writer", "penciller", "inker", "colorist",
/// "letterer", "cover artist", "editor", and from the v2.1 draft "translator"); EPUB MARC
/// relator codes map to words such as "editor", "illustrator" and "translator".
/// </summary>
public sealed record Contributor(string Name, string Role = Contributor.AuthorRole, string? SortName = null)
{
    public const string AuthorRole = "author";
}

/// <summary>An identifier other than an ISBN, such as ("goodreads", "12345") or ("asin", "B00...").</summary>
public sealed record BookIdentifier(string Scheme, string Value);

/// <summary>A date known to the year, the month or the day.</summary>
public sealed record PartialDate(int Year, int? Month = null, int? Day = null)
{
    public override string ToString() => Month is null ? $"{Year:D4}"
        : Day is null ? $"{Year:D4}-{Month:D2}"
        : $"{Year:D4}-{Month:D2}-{Day:D2}";

    /// <summary>Parses "2021", "2021-06" or "2021-06-20" (a time part after the day is ignored).</summary>
    public static PartialDate? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Trim().Split('-', 3);
        // Digits only, because int.TryParse also accepts a sign ("+202") and surrounding spaces.
        if (parts[0].Length != 4 || !parts[0].All(char.IsAsciiDigit) || !int.TryParse(parts[0], out var year) || year < 1)
        {
            return null;
        }

        if (parts.Length == 1)
        {
            return new PartialDate(year);
        }

        if (!parts[1].All(char.IsAsciiDigit) || !int.TryParse(parts[1], out var month) || month is < 1 or > 12)
        {
            return new PartialDate(year);
        }

        if (parts.Length == 2)
        {
            return new PartialDate(year, month);
        }

        var dayText = new string(parts[2].TakeWhile(char.IsDigit).ToArray());
        return int.TryParse(dayText, out var day) && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new PartialDate(year, month, day)
            : new PartialDate(year, month);
    }
}
