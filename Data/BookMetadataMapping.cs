using System.Text.Json;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Data;

/// <summary>Converts between a <see cref="Book"/> row and the <see cref="BookMetadata"/> it stores.</summary>
public static class BookMetadataMapping
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static BookMetadata GetMetadata(this Book book) => new()
    {
        Title = book.Title,
        Subtitle = book.Subtitle,
        Authors = Deserialize<List<Contributor>>(book.AuthorsJson) ?? [],
        SeriesName = book.SeriesName,
        SeriesNumber = book.SeriesNumber,
        SeriesTotal = book.SeriesTotal,
        Publisher = book.Publisher,
        PublishedDate = PartialDate.TryParse(book.PublishedDate),
        Language = book.Language,
        Description = book.Description,
        Isbn10 = book.Isbn10,
        Isbn13 = book.Isbn13,
        Identifiers = Deserialize<List<BookIdentifier>>(book.IdentifiersJson) ?? [],
        Subjects = Deserialize<List<string>>(book.SubjectsJson) ?? [],
        PageCount = book.PageCount,
        Volume = book.Volume,
        StoryArc = book.StoryArc,
        AgeRating = book.AgeRating,
    };

    public static void SetMetadata(this Book book, BookMetadata metadata)
    {
        book.Title = metadata.Title;
        book.Subtitle = metadata.Subtitle;
        book.AuthorsJson = Serialize(metadata.Authors);
        book.SeriesName = metadata.SeriesName;
        book.SeriesNumber = metadata.SeriesNumber;
        book.SeriesTotal = metadata.SeriesTotal;
        book.Publisher = metadata.Publisher;
        book.PublishedDate = metadata.PublishedDate?.ToString();
        book.Language = metadata.Language;
        book.Description = metadata.Description;
        book.Isbn10 = metadata.Isbn10;
        book.Isbn13 = metadata.Isbn13;
        book.IdentifiersJson = Serialize(metadata.Identifiers);
        book.SubjectsJson = Serialize(metadata.Subjects);
        book.PageCount = metadata.PageCount;
        book.Volume = metadata.Volume;
        book.StoryArc = metadata.StoryArc;
        book.AgeRating = metadata.AgeRating;
    }

    /// <summary>The metadata stored from the last read of the file, when the file still has that size and modification time.</summary>
    public static BookMetadata? GetFileMetadataIfCurrent(this Book book, long size, DateTimeOffset modifiedAt) =>
        book.FileMetadataJson is { } json && book.FileMetadataSize == size && book.FileMetadataModifiedAt == modifiedAt
            ? Deserialize<BookMetadata>(json)
            : null;

    public static void SetFileMetadata(this Book book, BookMetadata metadata, long size, DateTimeOffset modifiedAt)
    {
        book.FileMetadataJson = Serialize(metadata);
        book.FileMetadataSize = size;
        book.FileMetadataModifiedAt = modifiedAt;
    }

    public static string SerializeMetadata(BookMetadata metadata) => Serialize(metadata);

    public static BookMetadata DeserializeMetadata(string json) => Deserialize<BookMetadata>(json) ?? new BookMetadata();

    public static IReadOnlySet<MetadataField> GetLockedFields(this Book book) =>
        book.LockedFields
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => Enum.TryParse<MetadataField>(name, out var field) ? field : (MetadataField?)null)
            .OfType<MetadataField>()
            .ToHashSet();

    public static void SetLockedFields(this Book book, IEnumerable<MetadataField> fields) =>
        book.LockedFields = string.Join(',', fields.Distinct().Order());

    public static IReadOnlyDictionary<MetadataField, string> GetFieldSources(this Book book) =>
        Deserialize<Dictionary<MetadataField, string>>(book.FieldSourcesJson) ?? [];

    /// <summary>Returns the fields whose value came from <paramref name="source"/>.</summary>
    public static IReadOnlySet<MetadataField> GetFieldsWithSource(this Book book, string source)
    {
        // Most books have no field from a rare source, and this check is cheaper than parsing the JSON.
        if (!book.FieldSourcesJson.Contains(source, StringComparison.Ordinal))
        {
            return new HashSet<MetadataField>();
        }

        return book.GetFieldSources().Where(pair => pair.Value == source).Select(pair => pair.Key).ToHashSet();
    }

    /// <summary>Sets where the field's value came from. A null source removes the entry, for a value with no source.</summary>
    public static void SetFieldSource(this Book book, MetadataField field, string? source)
    {
        var sources = new Dictionary<MetadataField, string>(book.GetFieldSources());
        if (source is null)
        {
            sources.Remove(field);
        }
        else
        {
            sources[field] = source;
        }

        book.FieldSourcesJson = Serialize(sources);
    }

    private static string Serialize<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    private static T? Deserialize<T>(string json) where T : class =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<T>(json, JsonOptions);
}
