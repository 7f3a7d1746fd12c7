using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Books;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Tasks;

namespace Booklore.Tasks.Services.Library;

/// <summary>How the scan turns an inspected file into a new, moved or reread book row.</summary>
public sealed partial class ScanLibraryTask
{
    /// <summary>Maps each changed or moved file to the id of the book row it updates.</summary>
    private static Dictionary<string, int> AssignTargets(List<InspectedFile> inspected, Dictionary<string, Queue<KnownBook>> moveCandidates)
    {
        var targets = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in inspected.Where(item => item.Error is null && item.Result is not null))
        {
            if (item.Known is not null)
            {
                targets[item.File.FullName] = item.Known.Id;
            }
            else if (item.Fingerprint is not null
                && moveCandidates.TryGetValue(item.Fingerprint, out var candidates)
                && candidates.TryDequeue(out var moved))
            {
                targets[item.File.FullName] = moved.Id;
            }
        }

        return targets;
    }

    private void ApplyOne(
        BookloreDbContext db,
        LibraryPlan plan,
        InspectedFile item,
        Book? row,
        HashSet<int> seen,
        RunContext context,
        ScanTotals totals)
    {
        if (item.Known is { } unchanged && item.Result is null && item.Error is null)
        {
            seen.Add(unchanged.Id);
            totals.Unchanged++;
            context.AddCounters(processed: 1, unchanged: 1);
            return;
        }

        if (item.Error is not null)
        {
            if (item.Known is not null)
            {
                seen.Add(item.Known.Id);
            }

            ReportUnreadable(item.File.FullName, item.Known?.Id, item.Error, context, totals);
            context.AddCounters(processed: 1);
            return;
        }

        if (row is null)
        {
            AddBook(db, plan, item, context, totals);
        }
        else if (item.Known is null)
        {
            MoveBook(row, item, context, totals);
            seen.Add(row.Id);
        }
        else
        {
            RereadBook(row, item, context, totals);
            seen.Add(row.Id);
        }

        context.AddCounters(processed: 1, changed: 1);
    }

    private void AddBook(BookloreDbContext db, LibraryPlan plan, InspectedFile item, RunContext context, ScanTotals totals)
    {
        var result = item.Result!;
        var book = new Book
        {
            LibraryId = plan.Library.Id,
            Path = item.File.FullName,
            Format = result.Format,
            SizeBytes = item.File.Length,
            FileModifiedAt = BookFiles.ModifiedAt(item.File),
            Fingerprint = item.Fingerprint,
            AddedAt = time.GetUtcNow(),
        };
        var metadata = result.Metadata ?? new BookMetadata();
        book.SetMetadata(metadata with { Title = metadata.Title ?? BookFiles.TitleFromFileName(item.File.Name) });
        if (result.Metadata is not null)
        {
            book.SetFileMetadata(result.Metadata, item.File.Length, BookFiles.ModifiedAt(item.File));
            foreach (var field in MetadataFieldValues.All.Where(field => MetadataFieldValues.Format(metadata, field) is not null))
            {
                book.SetFieldSource(field, "file");
            }
        }
        else
        {
            ReportUnreadable(item.File.FullName, null, result.Error, context, totals);
        }

        if (metadata.Title is null)
        {
            book.SetFieldSource(MetadataField.Title, FieldSources.FileName);
        }

        if (result.Metadata is not null)
        {
            // The book is stored from its file, so a refresh right after this scan would merge
            // nothing. The mark lets that refresh pass it by instead of proving it once more.
            book.RefreshSettledModes = SettledModes.Find(book, result.Metadata, result.Format);
        }

        db.Books.Add(book);
        totals.Added++;
    }

    private void MoveBook(Book row, InspectedFile item, RunContext context, ScanTotals totals)
    {
        LogMoved(context.RunId, row.Id, row.Path, item.File.FullName);
        row.Path = item.File.FullName;
        if (row.GetFieldsWithSource(FieldSources.FileName).Contains(MetadataField.Title))
        {
            // A placeholder title was taken from the old name, so it follows the new one.
            row.Title = BookFiles.TitleFromFileName(item.File.Name);
        }

        row.IsMissing = false;
        row.SizeBytes = item.File.Length;
        row.FileModifiedAt = BookFiles.ModifiedAt(item.File);
        totals.Moved++;
    }

    private static void RereadBook(Book row, InspectedFile item, RunContext context, ScanTotals totals)
    {
        var wasMissing = row.IsMissing;
        row.IsMissing = false;
        row.SizeBytes = item.File.Length;
        row.FileModifiedAt = BookFiles.ModifiedAt(item.File);
        row.Fingerprint = item.Fingerprint;

        var result = item.Result!;
        if (result.Metadata is null)
        {
            ReportUnreadable(item.File.FullName, row.Id, result.Error, context, totals);
        }
        else
        {
            row.SetFileMetadata(result.Metadata, item.File.Length, BookFiles.ModifiedAt(item.File));

            // A refresh merges this stored read with the row's format, so it follows the content.
            row.Format = result.Format;
            var merge = MetadataMerger.Merge(
                row.GetMetadata(),
                result.Metadata,
                row.GetLockedFields(),
                ReplaceMode.Missing,
                clearEmpty: false,
                placeholders: row.GetFieldsWithSource(FieldSources.FileName));
            row.SetMetadata(merge.Metadata);
            foreach (var change in merge.Changes)
            {
                row.SetFieldSource(change.Field, "file");
            }
        }

        if (wasMissing)
        {
            totals.Returned++;
        }
        else
        {
            totals.Changed++;
        }
    }
}
