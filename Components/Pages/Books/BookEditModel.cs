using System.Globalization;
using System.Text.RegularExpressions;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Books;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Refresh;

namespace Booklore.Tasks.Components.Pages.Books;

/// <summary>
/// The values of the edit form. Property names match <see cref="BookEdit"/>, so the form validates a
/// field with the same FluentValidation rule the API uses. Lists are edited as text separated by ";".
/// </summary>
public sealed partial class BookEditModel
{
    private BookDetails _original = null!;

    public string? Title { get; set; }
    public string? Subtitle { get; set; }

    /// <summary>"Name; Name (role)", the form <see cref="MetadataFieldValues"/> shows authors in.</summary>
    public string? AuthorsText { get; set; }
    public string? SeriesName { get; set; }
    public decimal? SeriesNumber { get; set; }
    public int? SeriesTotal { get; set; }
    public string? Publisher { get; set; }
    public string? PublishedDate { get; set; }
    public string? Language { get; set; }
    public string? Description { get; set; }
    public string? Isbn10 { get; set; }
    public string? Isbn13 { get; set; }

    /// <summary>"scheme:value; scheme:value".</summary>
    public string? IdentifiersText { get; set; }

    /// <summary>"subject; subject".</summary>
    public string? SubjectsText { get; set; }
    public int? PageCount { get; set; }
    public int? Volume { get; set; }
    public string? StoryArc { get; set; }
    public string? AgeRating { get; set; }
    public int? Rating { get; set; }
    public string? Notes { get; set; }

    public static BookEditModel From(BookDetails book)
    {
        var metadata = book.Metadata;
        return new BookEditModel
        {
            _original = book,
            Title = metadata.Title,
            Subtitle = metadata.Subtitle,
            AuthorsText = MetadataFieldValues.Format(metadata, MetadataField.Authors),
            SeriesName = metadata.SeriesName,
            SeriesNumber = metadata.SeriesNumber,
            SeriesTotal = metadata.SeriesTotal,
            Publisher = metadata.Publisher,
            PublishedDate = metadata.PublishedDate?.ToString(),
            Language = metadata.Language,
            Description = metadata.Description,
            Isbn10 = metadata.Isbn10,
            Isbn13 = metadata.Isbn13,
            IdentifiersText = string.Join("; ", metadata.Identifiers.Select(id => $"{id.Scheme}:{id.Value}")),
            SubjectsText = string.Join("; ", metadata.Subjects),
            PageCount = metadata.PageCount,
            Volume = metadata.Volume,
            StoryArc = metadata.StoryArc,
            AgeRating = metadata.AgeRating,
            Rating = book.Rating,
            Notes = book.Notes,
        };
    }

    /// <summary>Builds an edit of every value that differs from the book as loaded, so unchanged fields are not locked.</summary>
    public BookEdit ToEdit()
    {
        var start = From(_original);
        var clear = new List<string>();
        return new BookEdit
        {
            Title = Changed(Title, start.Title),
            Subtitle = Changed(Subtitle, start.Subtitle),
            Authors = Changed(AuthorsText, start.AuthorsText) is { } authors ? ParseAuthors(authors) : null,
            SeriesName = Changed(SeriesName, start.SeriesName),
            SeriesNumber = Changed(SeriesNumber, start.SeriesNumber, "seriesNumber", clear),
            SeriesTotal = Changed(SeriesTotal, start.SeriesTotal, "seriesTotal", clear),
            Publisher = Changed(Publisher, start.Publisher),
            PublishedDate = Changed(PublishedDate, start.PublishedDate),
            Language = Changed(Language, start.Language),
            Description = Changed(Description, start.Description),
            Isbn10 = Changed(Isbn10, start.Isbn10),
            Isbn13 = Changed(Isbn13, start.Isbn13),
            Identifiers = Changed(IdentifiersText, start.IdentifiersText) is { } ids ? ParseIdentifiers(ids) : null,
            Subjects = Changed(SubjectsText, start.SubjectsText) is { } subjects ? SplitList(subjects) : null,
            PageCount = Changed(PageCount, start.PageCount, "pageCount", clear),
            Volume = Changed(Volume, start.Volume, "volume", clear),
            StoryArc = Changed(StoryArc, start.StoryArc),
            AgeRating = Changed(AgeRating, start.AgeRating),
            Rating = Changed(Rating, start.Rating, BookEditFields.Rating, clear),
            Notes = Changed(Notes, start.Notes),
            Clear = clear,
        };
    }

    /// <summary>Returns the new text when it differs from the old, with "" meaning "clear"; null when unchanged.</summary>
    private static string? Changed(string? value, string? original)
    {
        var current = value?.Trim() ?? "";
        return current == (original?.Trim() ?? "") ? null : current;
    }

    private static T? Changed<T>(T? value, T? original, string name, List<string> clear) where T : struct
    {
        if (Nullable.Equals(value, original))
        {
            return null;
        }

        if (value is null)
        {
            clear.Add(name);
        }

        return value;
    }

    private static List<string> SplitList(string text) =>
        [.. text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static List<Contributor> ParseAuthors(string text) =>
        [.. SplitList(text).Select(entry => AuthorWithRole().Match(entry) is { Success: true } match
            ? new Contributor(match.Groups["name"].Value.Trim(), match.Groups["role"].Value.Trim().ToLower(CultureInfo.InvariantCulture))
            : new Contributor(entry))];

    private static List<BookIdentifier> ParseIdentifiers(string text) =>
        [.. SplitList(text).Select(entry => entry.Split(':', 2, StringSplitOptions.TrimEntries) is [var scheme, var value]
            ? new BookIdentifier(scheme, value)
            : new BookIdentifier("", entry))];

    [GeneratedRegex(@"^(?<name>.+?)\s*\((?<role>[^()]+)\)$")]
    private static partial Regex AuthorWithRole();
}
