using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Services.Books;

public enum BookSort
{
    Title,
    Added,
    Series,
}

/// <summary>A request for one page of the book list. <see cref="Page"/> is zero-based.</summary>
public sealed record BookQuery
{
    public const int MaxPageSize = 200;

    /// <summary>Text matched, ignoring ASCII case, against title, authors, series name and path.</summary>
    public string? Search { get; init; }
    public int? LibraryId { get; init; }
    public BookFormat? Format { get; init; }
    public BookSort Sort { get; init; } = BookSort.Title;
    public bool Descending { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; } = 50;
}

public sealed record BookPage(IReadOnlyList<BookListItem> Items, int TotalCount);

/// <summary>One row of the book list.</summary>
public sealed record BookListItem(
    int Id,
    string Title,
    string Authors,
    string? SeriesName,
    decimal? SeriesNumber,
    BookFormat Format,
    int LibraryId,
    string? LibraryName,
    string Path,
    DateTimeOffset AddedAt,
    bool IsMissing);

/// <summary>A book with its metadata, each field's lock and source, and its database-only fields.</summary>
public sealed record BookDetails
{
    public required int Id { get; init; }
    public required int LibraryId { get; init; }
    public string? LibraryName { get; init; }
    public required string Path { get; init; }
    public required BookFormat Format { get; init; }
    public long SizeBytes { get; init; }
    public DateTimeOffset FileModifiedAt { get; init; }
    public DateTimeOffset AddedAt { get; init; }
    public DateTimeOffset? LastReadAt { get; init; }
    public bool IsMissing { get; init; }
    public required BookMetadata Metadata { get; init; }
    public required IReadOnlySet<MetadataField> LockedFields { get; init; }

    /// <summary>Where each field's value came from: <see cref="FieldSources.File"/> or <see cref="FieldSources.Manual"/>.</summary>
    public required IReadOnlyDictionary<MetadataField, string> Sources { get; init; }
    public int? Rating { get; init; }
    public string? Notes { get; init; }
    public double? ReadingProgress { get; init; }

    /// <summary>True for the formats the page reader shows: comics and PDFs.</summary>
    public bool IsReadable => Format is BookFormat.Pdf or BookFormat.Cbz or BookFormat.Cbr or BookFormat.Cb7;
}

/// <summary>Values of a field's source as stored on a book.</summary>
public static class FieldSources
{
    public const string File = "file";
    public const string Manual = "manual";

    /// <summary>A title the scan took from the file name because the file has none; a refresh fills it from the file.</summary>
    public const string FileName = "filename";
}
