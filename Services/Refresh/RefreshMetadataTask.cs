using System.Collections.Concurrent;
using System.Text.Json;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Books;
using Booklore.Tasks.Services.Library;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Services.Refresh;

/// <summary>
/// Rereads the metadata embedded in each book file and updates the database by the chosen
/// replace mode. Books are read in parallel and written in batches, and each book is written
/// completely or not at all. A file that cannot be read changes nothing for its book.
/// A file whose size and modification time match the last read reuses the metadata stored
/// then, unless the run forces a reread. A book already settled under the run's mode is passed by
/// without loading its row while its file is unchanged.
/// </summary>
public sealed partial class RefreshMetadataTask(
    IDbContextFactory<BookloreDbContext> contextFactory,
    IBookFileReader reader,
    DatabaseBackup backup,
    ILogger<RefreshMetadataTask> logger) : IMaintenanceTask
{
    internal const int BatchSize = 256;
    private static readonly RefreshOptionsValidator Validator = new();

    public string Key => TaskKeys.RefreshMetadata;

    public string Name => "Refresh Metadata from Library Files";

    public string Description =>
        "Rereads the metadata embedded in each book file and updates the database by the chosen replace mode. Locked fields are never changed.";

    public object ParseOptions(JsonElement? options) => RunOptionsParser.Parse(options, Validator);

    public bool ConflictsWith(string otherTaskKey, object otherOptions) => otherTaskKey == TaskKeys.ScanLibrary;

    public async Task ExecuteAsync(RunContext context)
    {
        var options = context.GetOptions<RefreshOptions>();
        var cancellationToken = context.CancellationToken;
        var bookIds = await LoadScopeAsync(options, cancellationToken);
        ReportUnknownBooks(options, bookIds, context);
        context.SetTotal(bookIds.Count);
        context.SetMessage($"Refreshing {bookIds.Count:N0} books ({Describe(options)}).");

        var snapshotNote = "";
        if (options.ReplaceMode == ReplaceMode.All && !options.DryRun && bookIds.Count > 0)
        {
            var snapshot = await backup.SnapshotAsync($"run{context.RunId}", cancellationToken);
            snapshotNote = $" The database was saved before any change to {snapshot}.";
            context.SetMessage($"Database snapshot written to {snapshot}.");

            // Named in the summary now, so that a run cancelled or failing later still says where the snapshot is.
            context.SetSummary(snapshotNote.Trim());
            LogSnapshot(context.RunId, snapshot);
        }

        var totals = new RefreshTotals();
        var batches = bookIds.Chunk(BatchSize).ToList();
        // The next batch loads while this batch's files are read, so the database read overlaps
        // the work on both cores instead of leaving one idle.
        var next = batches.Count > 0 ? LoadBatchAsync(batches[0], options) : null;
        try
        {
            for (var index = 0; index < batches.Count; index++)
            {
                var loaded = await next!;
                next = index + 1 < batches.Count ? LoadBatchAsync(batches[index + 1], options) : null;
                await RefreshBatchAsync(loaded, options, context, totals);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            if (next is not null)
            {
                // A load still running after a cancel or a failure must not outlive the run. Its own
                // failure is observed here and dropped, because the run ends anyway.
                await next.ContinueWith(load => _ = load.Exception, TaskScheduler.Default);
            }
        }

        context.SetSummary(totals.Describe(options.DryRun) + snapshotNote);
    }

    private async Task<List<int>> LoadScopeAsync(RefreshOptions options, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Books.AsNoTracking().Where(book => !book.IsMissing);
        if (options.LibraryId is { } libraryId)
        {
            query = query.Where(book => book.LibraryId == libraryId);
        }

        if (options.BookIds.Count > 0)
        {
            var ids = options.BookIds.ToHashSet();
            query = query.Where(book => ids.Contains(book.Id));
        }

        return await query.OrderBy(book => book.Id).Select(book => book.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Warns about selected book ids that match no book in scope, so a stale selection is not a silent success.</summary>
    private static void ReportUnknownBooks(RefreshOptions options, List<int> found, RunContext context)
    {
        if (options.BookIds.Count == 0)
        {
            return;
        }

        var unknown = options.BookIds.Distinct().Except(found).Order().ToList();
        if (unknown.Count > 0)
        {
            var listed = string.Join(", ", unknown.Take(20)) + (unknown.Count > 20 ? $" and {unknown.Count - 20} more" : "");
            context.AddWarning(unknown.Count == 1
                ? $"1 selected book was not refreshed: it does not exist, is missing from disk, or is outside the chosen library (id {listed})."
                : $"{unknown.Count} selected books were not refreshed: they do not exist, are missing from disk, or are outside the chosen library (ids {listed}).");
        }
    }

    /// <summary>
    /// Loads one batch: first the few columns that decide whether a book is settled under the run's
    /// mode with its file unchanged, then the whole rows of the other books. The rows are untracked
    /// and attached only when they change, so an unchanged book costs no change tracking.
    /// </summary>
    private async Task<LoadedBatch> LoadBatchAsync(int[] batch, RefreshOptions options)
    {
        await using var db = await contextFactory.CreateDbContextAsync(CancellationToken.None);
        var settled = new List<SettledBook>();
        if (!options.Force)
        {
            var candidates = await BatchRows(db, batch)
                .Where(book => book.RefreshSettledModes != 0)
                .Select(book => new SettledBook(book.Id, book.Path, book.RefreshSettledModes, book.FileMetadataSize, book.FileMetadataModifiedAt))
                .ToListAsync(CancellationToken.None);
            settled.AddRange(candidates.Where(book => SettledModes.Covers(book.Modes, options) && book.FileIsUnchanged()));
        }

        var rest = settled.Count == 0 ? batch : batch.Except(settled.Select(book => book.Id)).ToArray();
        var rows = rest.Length == 0 ? [] : await BatchRows(db, rest).OrderBy(book => book.Id).ToListAsync(CancellationToken.None);
        return new LoadedBatch(settled, rows);
    }

    private static IQueryable<Book> BatchRows(BookloreDbContext db, int[] batch) =>
        db.Books.AsNoTracking().Where(book => batch.Contains(book.Id));

    /// <summary>
    /// Refreshes one batch in one transaction. On cancellation the books already read are still
    /// written, whole, before the run stops; a batch is never written in part of a book.
    /// </summary>
    private async Task RefreshBatchAsync(LoadedBatch loaded, RefreshOptions options, RunContext context, RefreshTotals totals)
    {
        await using var db = await contextFactory.CreateDbContextAsync(CancellationToken.None);
        var batchTotals = new RefreshTotals
        {
            Processed = loaded.Settled.Count,
            Unchanged = loaded.Settled.Count,
            ReusedFiles = loaded.Settled.Count,
        };
        var rows = loaded.Rows;
        var files = await ReadFilesAsync(rows, options, context);
        if (files.IsEmpty && loaded.Settled.Count == 0)
        {
            return;
        }

        if (NeedsWrite(rows, files, options))
        {
            await WriteBatchAsync(db, rows, files, options, context, batchTotals);
        }
        else
        {
            // Nothing of this batch is written, so an edit made meanwhile cannot be overwritten and
            // the rows need no second read. An unchanged library takes only this path.
            foreach (var row in rows.Where(row => files.ContainsKey(row.Id)))
            {
                ApplyOne(db, row, files[row.Id], options, context, batchTotals);
            }
        }

        // NOTE: the run's counters and warnings reach its row only at the next heartbeat, so after a
        // crash the row of an Interrupted run can count fewer books than the batches committed here.
        totals.Add(batchTotals);
        context.AddCounters(
            processed: batchTotals.Processed,
            changed: batchTotals.ChangedBooks,
            unchanged: batchTotals.Unchanged,
            skippedLocked: batchTotals.SkippedLocked,
            failed: batchTotals.Failed);
        var last = loaded.Settled.Select(book => (book.Id, book.Path))
            .Concat(rows.Where(row => files.ContainsKey(row.Id)).Select(row => (row.Id, row.Path)))
            .MaxBy(book => book.Id);
        context.Advance(loaded.Settled.Count + files.Count, last.Path);
    }

    /// <summary>True when a book of the batch gets new file metadata, a change, a preview row or a settled mark it lacks.</summary>
    private static bool NeedsWrite(List<Book> rows, ConcurrentDictionary<int, FileRead> files, RefreshOptions options) =>
        rows.Any(row => files.TryGetValue(row.Id, out var file) && NeedsWrite(row, file, options));

    private static bool NeedsWrite(Book row, FileRead file, RefreshOptions options)
    {
        if (!file.Result.Succeeded)
        {
            return false;
        }

        if (file.Merge!.Changes.Count > 0)
        {
            return true;
        }

        if (options.DryRun)
        {
            return false;
        }

        return !file.Reused || (SettledModes.IsSettled(file.Merge) && !SettledModes.Covers(row.RefreshSettledModes, options));
    }

    private async Task WriteBatchAsync(
        BookloreDbContext db,
        List<Book> rows,
        ConcurrentDictionary<int, FileRead> files,
        RefreshOptions options,
        RunContext context,
        RefreshTotals batchTotals)
    {
        // A manual edit or an undo can land on these rows while the files are read. So the rows are
        // read again inside a transaction, which Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE to
        // keep other writers out until the commit, and a row changed since is merged again.
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var current = await BatchRows(db, rows.Select(row => row.Id).ToArray()).ToDictionaryAsync(book => book.Id, CancellationToken.None);
        var marks = new Dictionary<int, int>();
        foreach (var row in rows.Where(row => files.ContainsKey(row.Id)))
        {
            if (!current.TryGetValue(row.Id, out var fresh))
            {
                continue;
            }

            var file = IsUnchangedSince(db, row, fresh) ? files[row.Id] : Merge(fresh, files[row.Id], options);
            ApplyOne(db, fresh, file, options, context, batchTotals);
            if (!options.DryRun && file.Result.Succeeded)
            {
                // Every mode is checked on the book as written, so a later run in another mode can
                // pass it by too, and a book the merge changed is checked again, not assumed settled.
                var mark = SettledModes.Find(fresh, file.Result.Metadata!, file.Result.Format);
                if (mark != fresh.RefreshSettledModes || db.Entry(fresh).State == EntityState.Modified)
                {
                    marks[fresh.Id] = mark;
                }
            }
        }

        await db.SaveChangesAsync(CancellationToken.None);
        await SettledModes.StoreAsync(db, marks);
        await transaction.CommitAsync(CancellationToken.None);
    }

    /// <summary>
    /// Reads (or reuses) the file metadata of each book and merges it with the stored metadata,
    /// on every core; stops early on cancellation. Nothing is written here.
    /// </summary>
    private async Task<ConcurrentDictionary<int, FileRead>> ReadFilesAsync(List<Book> rows, RefreshOptions options, RunContext context)
    {
        var files = new ConcurrentDictionary<int, FileRead>();
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = Environment.ProcessorCount,
            CancellationToken = context.CancellationToken,
        };
        try
        {
            await Parallel.ForEachAsync(rows, parallel, async (row, token) =>
            {
                context.Advance(0, row.Path);
                files[row.Id] = Merge(row, await ReadFileAsync(row, options, token), options);
            });
        }
        catch (OperationCanceledException)
        {
            // The books read so far are written; the caller then stops the run.
        }

        return files;
    }

    private static FileRead Merge(Book row, FileRead file, RefreshOptions options)
    {
        if (!file.Result.Succeeded)
        {
            return file;
        }

        var stored = row.GetMetadata();
        var merge = MetadataMerger.Merge(row, stored, file.Result.Metadata!, file.Result.Format, options);
        return file with { Stored = stored, Merge = merge };
    }

    /// <summary>True when every mapped column of the book has the value it had at the first read.</summary>
    private static bool IsUnchangedSince(BookloreDbContext db, Book first, Book current)
    {
        foreach (var property in db.Model.FindEntityType(typeof(Book))!.GetProperties())
        {
            if (property.PropertyInfo is { } info && !Equals(info.GetValue(first), info.GetValue(current)))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<FileRead> ReadFileAsync(Book row, RefreshOptions options, CancellationToken cancellationToken)
    {
        var file = new FileInfo(row.Path);
        if (!file.Exists)
        {
            return new FileRead(MetadataReadResult.Failure(row.Format, "the file was not found; run Scan Library Files to mark it missing or find where it moved"), file, Reused: false);
        }

        // NOTE: a file rewritten with the same size and the same modification time (rewritten within
        // the file system's timestamp resolution, or reset with touch -r) looks unchanged here, so its
        // old metadata is reused. Force rereads it.
        var modifiedAt = BookFiles.ModifiedAt(file);
        // A successful read never has format Unknown, so a stored read beside Unknown is of a file
        // repaired after it was added, by a version that kept the format it was added with. Reading
        // it again stores the real format.
        // NOTE: such a version can also have left another stale format, such as Cbz for a file
        // replaced by an EPUB. A reuse merges with that format until Force rereads the file.
        if (!options.Force && row.Format != BookFormat.Unknown && row.GetFileMetadataIfCurrent(file.Length, modifiedAt) is { } stored)
        {
            return new FileRead(MetadataReadResult.Success(row.Format, stored), file, Reused: true);
        }

        var result = reader.Read(row.Path, cancellationToken);
        if (!result.Succeeded || options.DryRun)
        {
            return new FileRead(result, file, Reused: false);
        }

        try
        {
            return new FileRead(result, file, Reused: false) { Fingerprint = await BookFiles.FingerprintAsync(row.Path, cancellationToken) };
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The file went away after its read. Its metadata is still used, and the next scan finds where it went.
            return new FileRead(result, file, Reused: false);
        }
    }

    private void ApplyOne(
        BookloreDbContext db,
        Book row,
        FileRead file,
        RefreshOptions options,
        RunContext context,
        RefreshTotals totals)
    {
        totals.Processed++;
        var result = file.Result;
        if (!result.Succeeded)
        {
            totals.Failed++;
            context.AddWarning($"The file could not be read, so the book was left unchanged: {result.Error}", row.Path, row.Id);
            LogReadFailed(context.RunId, row.Id, row.Path, result.Error);
            return;
        }

        totals.ReusedFiles += file.Reused ? 1 : 0;
        if (!file.Reused && !options.DryRun)
        {
            Attach(db, row);
            var modifiedAt = BookFiles.ModifiedAt(file.Info);
            row.SetFileMetadata(result.Metadata!, file.Info.Length, modifiedAt);
            if (file.Fingerprint is not null)
            {
                // The scan's facts about the file follow the read too, so the book page shows the file as
                // it is and the next scan finds it unchanged. The fingerprint keeps a later move recognisable.
                row.SizeBytes = file.Info.Length;
                row.FileModifiedAt = modifiedAt;
                row.Fingerprint = file.Fingerprint;
            }

            // A later reuse of this read merges with the stored format, so the format follows the
            // content. Otherwise a book added while unreadable would stay Unknown, which clears no field.
            row.Format = result.Format;
        }

        var stored = file.Stored!;
        var merge = file.Merge!;
        totals.SkippedLocked += merge.SkippedLocked;
        if (merge.Changes.Count == 0)
        {
            totals.Unchanged++;
            return;
        }

        totals.ChangedBooks++;
        totals.ChangedFields += merge.Changes.Count;
        var sources = row.GetFieldSources();
        foreach (var change in merge.Changes)
        {
            totals.CountField(change.Field);
            db.MetadataChanges.Add(new MetadataChange
            {
                RunId = context.RunId,
                BookId = row.Id,
                Field = change.Field,
                OldValue = change.OldValue,
                NewValue = change.NewValue,
                OldJson = BookMetadataMapping.SerializeMetadata(MetadataFieldValues.Copy(stored, new BookMetadata(), change.Field)),
                OldSource = sources.GetValueOrDefault(change.Field),
            });
        }

        if (options.DryRun)
        {
            return;
        }

        Attach(db, row);
        row.SetMetadata(merge.Metadata);
        foreach (var change in merge.Changes)
        {
            row.SetFieldSource(change.Field, change.Source);
        }
    }

    private static void Attach(BookloreDbContext db, Book row)
    {
        if (db.Entry(row).State == EntityState.Detached)
        {
            db.Books.Attach(row);
        }
    }

    private static string Describe(RefreshOptions options) =>
        (options.ReplaceMode == ReplaceMode.All ? "replace all" : "replace missing only")
        + (options.ClearEmpty ? ", clearing fields the file leaves empty" : "")
        + (options.Force ? ", rereading every file" : "")
        + (options.DryRun ? ", preview only" : "");

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} wrote a database snapshot to {SnapshotPath}")]
    private partial void LogSnapshot(long runId, string snapshotPath);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId} could not read book {BookId} at {BookPath}: {Reason}")]
    private partial void LogReadFailed(long runId, int bookId, string bookPath, string? reason);

    /// <summary>The books of a batch passed by as settled, and the rows of the others.</summary>
    private sealed record LoadedBatch(List<SettledBook> Settled, List<Book> Rows);

    /// <summary>The columns that decide whether a book can be passed by: its settled modes, and its file's size and modification time at the last read.</summary>
    private sealed record SettledBook(int Id, string Path, int Modes, long? FileMetadataSize, DateTimeOffset? FileMetadataModifiedAt)
    {
        public bool FileIsUnchanged()
        {
            var file = new FileInfo(Path);
            return file.Exists && file.Length == FileMetadataSize && BookFiles.ModifiedAt(file) == FileMetadataModifiedAt;
        }
    }

    /// <summary>A book's file metadata, whether it was reused from the last read, and its merge with the stored metadata.</summary>
    private sealed record FileRead(MetadataReadResult Result, FileInfo Info, bool Reused)
    {
        /// <summary>The fingerprint of a file read again for a run that writes, as the scan computes it.</summary>
        public string? Fingerprint { get; init; }

        public BookMetadata? Stored { get; init; }
        public MergeResult? Merge { get; init; }
    }
}
