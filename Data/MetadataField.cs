namespace Booklore.Tasks.Data;

/// <summary>The metadata fields a book file can carry, each lockable on its own.</summary>
public enum MetadataField
{
    Title,
    Subtitle,
    Authors,
    SeriesName,
    SeriesNumber,
    SeriesTotal,
    Publisher,
    PublishedDate,
    Language,
    Description,
    Isbn10,
    Isbn13,
    Identifiers,
    Subjects,
    PageCount,
    Volume,
    StoryArc,
    AgeRating,
}

/// <summary>Names of the metadata fields as the pages and run summaries show them.</summary>
public static class MetadataFieldNames
{
    /// <summary>Returns the name people read, such as "Series number" for SeriesNumber, with the ISBN names as they are printed.</summary>
    public static string Label(this MetadataField field) => field switch
    {
        MetadataField.Isbn10 => "ISBN-10",
        MetadataField.Isbn13 => "ISBN-13",
        _ => SpacedLowerCase(field.ToString()),
    };

    private static string SpacedLowerCase(string name)
    {
        var spaced = System.Text.RegularExpressions.Regex.Replace(name, "(?<=[a-z])(?=[A-Z])", " ");
        return spaced[..1] + spaced[1..].ToLowerInvariant();
    }
}
