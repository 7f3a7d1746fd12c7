using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Books;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Services.Refresh;

/// <summary>One field a refresh changes, with its canonical text before and after, and the source the new value comes from.</summary>
public sealed record FieldChange(MetadataField Field, string? OldValue, string? NewValue, string Source = FieldSources.File);

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
    public static MergeResult Merge(Book row, BookMetadata stored, BookMetadata fromFile, BookFormat format, RefreshOptions options)
    {
        var merge = Merge(
            stored,
            fromFile,
            row.GetLockedFields(),
            options.ReplaceMode,
            options.ClearEmpty,
            format,
            row.GetFieldsWithSource(FieldSources.FileName));
        return KeepTitle(merge, row, stored);
    }

    /// <summary>
    /// Gives a book whose title the merge cleared the file name as its title, as the scan does for a
    /// file without one, so that no book is left without a title.
    /// </summary>
    private static MergeResult KeepTitle(MergeResult merge, Book row, BookMetadata stored)
    {
        var cleared = merge.Changes.FirstOrDefault(change => change.Field == MetadataField.Title && change.NewValue is null);
        if (cleared is null)
        {
            return merge;
        }

        var fileName = BookFiles.TitleFromFileName(row.Path);
        var fileNameText = MetadataFieldValues.Format(new BookMetadata { Title = fileName }, MetadataField.Title);
        if (fileNameText is null)
        {
            return merge;
        }

        if (MetadataFieldValues.Format(stored, MetadataField.Title) == fileNameText)
        {
            // The title already is the file name, so keeping it is no change.
            var others = merge.Changes.Where(change => change != cleared).ToList();
            return merge with { Metadata = merge.Metadata with { Title = stored.Title }, Changes = others };
        }

        var changes = merge.Changes
            .Select(change => change == cleared ? change with { NewValue = fileNameText, Source = FieldSources.FileName } : change)
            .ToList();
        return merge with { Metadata = merge.Metadata with { Title = fileName }, Changes = changes };
    }

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
