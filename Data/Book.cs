using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Data;

/// <summary>
/// A book file and its metadata. Metadata lists are stored as JSON text; use
/// <see cref="BookMetadataMapping"/> to read and write them as a <see cref="BookMetadata"/>.
/// </summary>
public sealed class Book
{
    public int Id { get; set; }
    public int LibraryId { get; set; }
    public Library? Library { get; set; }

    /// <summary>Full path of the file on the server.</summary>
    public required string Path { get; set; }
    public BookFormat Format { get; set; }
    public long SizeBytes { get; set; }
    public DateTimeOffset FileModifiedAt { get; set; }

    /// <summary>SHA-256 of the file's first and last 64 KiB and its length, which identifies a moved file.</summary>
    public string? Fingerprint { get; set; }

    /// <summary>True when the last scan did not find the file; the book and its edits are kept.</summary>
    public bool IsMissing { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public DateTimeOffset? LastReadAt { get; set; }

    public string? Title { get; set; }
    public string? Subtitle { get; set; }
    public string AuthorsJson { get; set; } = "[]";
    public string? SeriesName { get; set; }
    public decimal? SeriesNumber { get; set; }
    public int? SeriesTotal { get; set; }
    public string? Publisher { get; set; }

    /// <summary>"yyyy", "yyyy-MM" or "yyyy-MM-dd", as precise as the source.</summary>
    public string? PublishedDate { get; set; }
    public string? Language { get; set; }
    public string? Description { get; set; }
    public string? Isbn10 { get; set; }
    public string? Isbn13 { get; set; }
    public string IdentifiersJson { get; set; } = "[]";
    public string SubjectsJson { get; set; } = "[]";
    public int? PageCount { get; set; }
    public int? Volume { get; set; }
    public string? StoryArc { get; set; }
    public string? AgeRating { get; set; }

    /// <summary>
    /// The metadata last read from the file (a <see cref="BookMetadata"/> as JSON), with the file's
    /// size and modification time at that read; a refresh reuses it while both are unchanged.
    /// </summary>
    public string? FileMetadataJson { get; set; }
    public long? FileMetadataSize { get; set; }
    public DateTimeOffset? FileMetadataModifiedAt { get; set; }

    /// <summary>Comma-separated <see cref="MetadataField"/> names that no task may change.</summary>
    public string LockedFields { get; set; } = "";

    /// <summary>JSON object from field name to where its value came from ("file" or "manual").</summary>
    public string FieldSourcesJson { get; set; } = "{}";

    /// <summary>
    /// The refresh modes under which merging <see cref="FileMetadataJson"/> into this row is known to
    /// change nothing, so a refresh in one of them can pass the book by while its file is unchanged.
    /// A database trigger sets it to 0 whenever a column the merge reads changes.
    /// </summary>
    public int RefreshSettledModes { get; set; }

    // Fields that exist only in the database. No file-based task reads or writes them.
    public int? Rating { get; set; }
    public string? Notes { get; set; }
    public double? ReadingProgress { get; set; }
}
