using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Services.Books;

/// <summary>
/// A change to a book's metadata and locks, as the edit form and an HTTP PATCH send it. A null
/// value leaves its field unchanged. Empty text or an empty list clears the field, and
/// <see cref="Clear"/> clears fields of any type, so a PATCH handler maps a JSON null to an entry
/// there. An edited field is locked unless <see cref="Locks"/> sets its lock to false or the
/// setting <c>Booklore:LockOnEdit</c> is false.
/// </summary>
public sealed record BookEdit
{
    public string? Title { get; init; }
    public string? Subtitle { get; init; }
    public IReadOnlyList<Contributor>? Authors { get; init; }
    public string? SeriesName { get; init; }
    public decimal? SeriesNumber { get; init; }
    public int? SeriesTotal { get; init; }
    public string? Publisher { get; init; }

    /// <summary>"yyyy", "yyyy-MM" or "yyyy-MM-dd".</summary>
    public string? PublishedDate { get; init; }

    /// <summary>BCP 47 language tag, such as "en" or "pt-BR".</summary>
    public string? Language { get; init; }
    public string? Description { get; init; }
    public string? Isbn10 { get; init; }
    public string? Isbn13 { get; init; }
    public IReadOnlyList<BookIdentifier>? Identifiers { get; init; }
    public IReadOnlyList<string>? Subjects { get; init; }
    public int? PageCount { get; init; }
    public int? Volume { get; init; }
    public string? StoryArc { get; init; }
    public string? AgeRating { get; init; }

    /// <summary>Stars from 1 to 5; database only, never locked.</summary>
    public int? Rating { get; init; }

    /// <summary>Free text; database only, never locked.</summary>
    public string? Notes { get; init; }

    /// <summary>API names of fields to empty, such as "seriesNumber" or "rating" (see <see cref="BookEditFields"/>).</summary>
    public IReadOnlyList<string> Clear { get; init; } = [];

    /// <summary>Lock states to set; for an edited field this overrides the lock-on-edit setting.</summary>
    public IReadOnlyDictionary<MetadataField, bool> Locks { get; init; } = new Dictionary<MetadataField, bool>();

    /// <summary>True when <see cref="Clear"/> names the field (any case).</summary>
    public bool Clears(string apiName) => Clear.Contains(apiName, StringComparer.OrdinalIgnoreCase);

    /// <summary>Returns the metadata fields the edit sets or clears.</summary>
    public IEnumerable<MetadataField> EditedFields() =>
        Enum.GetValues<MetadataField>().Where(field => Sets(field) || Clears(BookEditFields.NameOf(field)));

    /// <summary>True when the edit sets a new value for <paramref name="field"/>.</summary>
    public bool Sets(MetadataField field) => field switch
    {
        MetadataField.Title => Title is not null,
        MetadataField.Subtitle => Subtitle is not null,
        MetadataField.Authors => Authors is not null,
        MetadataField.SeriesName => SeriesName is not null,
        MetadataField.SeriesNumber => SeriesNumber is not null,
        MetadataField.SeriesTotal => SeriesTotal is not null,
        MetadataField.Publisher => Publisher is not null,
        MetadataField.PublishedDate => PublishedDate is not null,
        MetadataField.Language => Language is not null,
        MetadataField.Description => Description is not null,
        MetadataField.Isbn10 => Isbn10 is not null,
        MetadataField.Isbn13 => Isbn13 is not null,
        MetadataField.Identifiers => Identifiers is not null,
        MetadataField.Subjects => Subjects is not null,
        MetadataField.PageCount => PageCount is not null,
        MetadataField.Volume => Volume is not null,
        MetadataField.StoryArc => StoryArc is not null,
        MetadataField.AgeRating => AgeRating is not null,
        _ => false,
    };
}

/// <summary>The outcome of <see cref="BookService.UpdateAsync"/>.</summary>
public sealed record BookEditResult
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public BookEditStatus Status { get; private init; }

    /// <summary>The book as stored after the update; set when <see cref="Status"/> is Updated.</summary>
    public BookDetails? Book { get; private init; }

    /// <summary>Messages by the API name of the invalid field, such as "isbn13" or "authors[0].name".</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private init; } = NoErrors;

    public static BookEditResult Updated(BookDetails book) => new() { Status = BookEditStatus.Updated, Book = book };

    public static BookEditResult NotFound() => new() { Status = BookEditStatus.NotFound };

    public static BookEditResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new() { Status = BookEditStatus.Invalid, Errors = errors };
}

public enum BookEditStatus
{
    Updated,
    NotFound,
    Invalid,
}

/// <summary>The API names of editable fields: camelCase metadata field names plus the database-only ones.</summary>
public static class BookEditFields
{
    public const string Rating = "rating";
    public const string Notes = "notes";

    public static string NameOf(MetadataField field) =>
        System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(field.ToString());

    /// <summary>Every name <see cref="BookEdit.Clear"/> accepts.</summary>
    public static IReadOnlyList<string> All { get; } =
        [.. Enum.GetValues<MetadataField>().Select(NameOf), Rating, Notes];

    /// <summary>Returns the metadata field with this name (any case), or null for a database-only or unknown name.</summary>
    public static MetadataField? TryParseMetadataField(string name) =>
        name.Length > 0 && char.IsLetter(name[0]) && Enum.TryParse<MetadataField>(name, ignoreCase: true, out var field)
            ? field
            : null;
}
