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
