using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Books;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Services.Refresh;

/// <summary>One field a refresh changes, with its canonical text before and after.</summary>
public sealed record FieldChange(MetadataField Field, string? OldValue, string? NewValue);

/// <summary>The outcome of merging a file's metadata into a book's.</summary>
public sealed record MergeResult(BookMetadata Metadata, IReadOnlyList<FieldChange> Changes, int SkippedLocked);

/// <summary>Applies the replace modes field by field. Locked fields are never changed.</summary>
public static class MetadataMerger
{
    /// <param name="format">
    /// The file's format. With <paramref name="clearEmpty"/>, only fields it can hold are cleared;
    /// null means every field counts as one the file could hold.
    /// </param>
    /// <param name="placeholders">
    /// Fields whose stored value is a placeholder for a missing one, such as a title taken from the file
    /// name. Every mode fills them from the file, and none clears them.
    /// </param>
    public static MergeResult Merge(
        BookMetadata stored,
        BookMetadata fromFile,
        IReadOnlySet<MetadataField> locked,
        ReplaceMode mode,
        bool clearEmpty,
        BookFormat? format = null,
        IReadOnlySet<MetadataField>? placeholders = null)
    {
        var merged = stored;
        var changes = new List<FieldChange>();
        var skippedLocked = 0;
        foreach (var field in MetadataFieldValues.All)
        {
            var storedText = MetadataFieldValues.Format(stored, field);
            var fileText = MetadataFieldValues.Format(fromFile, field);
            var canClear = clearEmpty && (format is not { } known || FormatFields.CanCarry(known, field));
            var isMissing = storedText is null || placeholders?.Contains(field) == true;
            if (!ShouldReplace(stored, fromFile, field, isMissing, fileText, mode, canClear))
            {
                continue;
            }

            if (locked.Contains(field))
            {
                skippedLocked++;
                continue;
            }

            merged = MetadataFieldValues.Copy(fromFile, merged, field);
            changes.Add(new FieldChange(field, storedText, fileText));
        }

        return new MergeResult(merged, changes, skippedLocked);
    }

    /// <summary>Merges a file's metadata into a book row by the options' mode, with the row's locks and placeholders.</summary>
    /// <param name="stored">The row's metadata, as <see cref="BookMetadataMapping.GetMetadata"/> reads it.</param>
    public static MergeResult Merge(Book row, BookMetadata stored, BookMetadata fromFile, BookFormat format, RefreshOptions options) =>
        Merge(
            stored,
            fromFile,
            row.GetLockedFields(),
            options.ReplaceMode,
            options.ClearEmpty,
            format,
            row.GetFieldsWithSource(FieldSources.FileName));

    private static bool ShouldReplace(
        BookMetadata stored,
        BookMetadata fromFile,
        MetadataField field,
        bool isMissing,
        string? fileText,
        ReplaceMode mode,
        bool clearEmpty)
    {
        if (fileText is null)
        {
            return mode == ReplaceMode.All && clearEmpty && !isMissing;
        }

        return mode switch
        {
            ReplaceMode.Missing => isMissing && !MetadataFieldValues.AreEqual(stored, fromFile, field),
            ReplaceMode.All => !MetadataFieldValues.AreEqual(stored, fromFile, field),
            _ => false,
        };
    }
}
