using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Services.Refresh;

/// <summary>
/// Rereads the metadata embedded in each book file and updates the database by the chosen
/// replace mode. Books are read in parallel and written in batches; each book is written
/// completely or not at all, and a file that cannot be read changes nothing for its book.
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

    public bool ConflictsWith(string otherTaskKey, object otherOptions) => otherTaskKey switch
    {
        TaskKeys.ScanLibrary => true,
        _ => false,
    };

    public async Task ExecuteAsync(RunContext context)
    {
        var options = context.GetOptions<RefreshOptions>();
        var cancellationToken = context.CancellationToken;
        var books = await LoadScopeAsync(options, cancellationToken);
        context.SetTotal(books.Count);
        context.SetMessage($"Refreshing {books.Count:N0} books ({Describe(options)}).");

        if (options.ReplaceMode == ReplaceMode.All && !options.DryRun && books.Count > 0)
        {
            var snapshot = await backup.SnapshotAsync($"run{context.RunId}", cancellationToken);
            context.SetMessage($"Database snapshot written to {snapshot}.");
            LogSnapshot(context.RunId, snapshot);
        }

        var totals = new RefreshTotals();
        foreach (var batch in books.Chunk(BatchSize))
        {
            var results = await ReadBatchAsync(batch, context);
            await WriteBatchAsync(results, options, context, totals);
            cancellationToken.ThrowIfCancellationRequested();
        }

        context.SetSummary(totals.Describe(options.DryRun));
    }

    private async Task<List<BookFile>> LoadScopeAsync(RefreshOptions options, CancellationToken cancellationToken)
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

        return await query.OrderBy(book => book.Id)
            .Select(book => new BookFile(book.Id, book.Path))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Reads the files of one batch on every core. On cancellation the files already read are
    /// returned, so that their books are still written whole before the run stops.
    /// </summary>
    private async Task<List<(BookFile Book, MetadataReadResult Result)>> ReadBatchAsync(BookFile[] batch, RunContext context)
    {
        var results = new ConcurrentBag<(BookFile, MetadataReadResult)>();
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = Environment.ProcessorCount,
            CancellationToken = context.CancellationToken,
        };
        try
        {
            await Parallel.ForEachAsync(batch, parallel, (book, token) =>
            {
                context.Advance(0, book.Path);
                results.Add((book, reader.Read(book.Path, token)));
                return ValueTask.CompletedTask;
            });
        }
        catch (OperationCanceledException)
        {
            // Fall through: the caller writes what was read and then stops.
        }

        return [.. results.OrderBy(result => result.Item1.Id)];
    }

    private async Task WriteBatchAsync(
        List<(BookFile Book, MetadataReadResult Result)> results,
        RefreshOptions options,
        RunContext context,
        RefreshTotals totals)
    {
        if (results.Count == 0)
        {
            return;
        }

        // The write is not cancellable: a batch that was read is written whole.
        await using var db = await contextFactory.CreateDbContextAsync(CancellationToken.None);
        var ids = results.Select(result => result.Book.Id).ToList();
        var rows = await db.Books.Where(book => ids.Contains(book.Id)).ToDictionaryAsync(book => book.Id, CancellationToken.None);
        var batch = new RefreshTotals();
        foreach (var (book, result) in results)
        {
            if (!rows.TryGetValue(book.Id, out var row))
            {
                continue;
            }

            ApplyOne(db, row, result, options, context, batch);
        }

        await db.SaveChangesAsync(CancellationToken.None);
        totals.Add(batch);
        context.AddCounters(
            processed: batch.Processed,
            changed: batch.ChangedBooks,
            unchanged: batch.Unchanged,
            skippedLocked: batch.SkippedLocked,
            failed: batch.Failed);
        context.Advance(results.Count, results[^1].Book.Path);
    }

    private void ApplyOne(
        BookloreDbContext db,
        Book row,
        MetadataReadResult result,
        RefreshOptions options,
        RunContext context,
        RefreshTotals totals)
    {
        totals.Processed++;
        if (!result.Succeeded)
        {
            totals.Failed++;
            context.AddWarning($"The file could not be read, so the book was left unchanged: {result.Error}", row.Path, row.Id);
            LogReadFailed(context.RunId, row.Id, row.Path, result.Error);
            return;
        }

        var merge = MetadataMerger.Merge(row.GetMetadata(), result.Metadata!, row.GetLockedFields(), options.ReplaceMode, options.ClearEmpty);
        totals.SkippedLocked += merge.SkippedLocked;
        if (merge.Changes.Count == 0)
        {
            totals.Unchanged++;
            return;
        }

        totals.ChangedBooks++;
        totals.ChangedFields += merge.Changes.Count;
        foreach (var change in merge.Changes)
        {
            db.MetadataChanges.Add(new MetadataChange
            {
                RunId = context.RunId,
                BookId = row.Id,
                Field = change.Field,
                OldValue = change.OldValue,
                NewValue = change.NewValue,
            });
        }

        if (options.DryRun)
        {
            return;
        }

        row.SetMetadata(merge.Metadata);
        foreach (var change in merge.Changes)
        {
            row.SetFieldSource(change.Field, "file");
        }
    }

    private static string Describe(RefreshOptions options) =>
        (options.ReplaceMode == ReplaceMode.All ? "replace all" : "replace missing only")
        + (options.ClearEmpty ? ", clearing fields the file leaves empty" : "")
        + (options.DryRun ? ", preview only" : "");

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} wrote a database snapshot to {SnapshotPath}")]
    private partial void LogSnapshot(long runId, string snapshotPath);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId} could not read book {BookId} at {BookPath}: {Reason}")]
    private partial void LogReadFailed(long runId, int bookId, string bookPath, string? reason);

    private sealed record BookFile(int Id, string Path);

    private sealed class RefreshTotals
    {
        public long Processed { get; set; }
        public long ChangedBooks { get; set; }
        public long ChangedFields { get; set; }
        public long Unchanged { get; set; }
        public long SkippedLocked { get; set; }
        public long Failed { get; set; }

        public void Add(RefreshTotals other)
        {
            Processed += other.Processed;
            ChangedBooks += other.ChangedBooks;
            ChangedFields += other.ChangedFields;
            Unchanged += other.Unchanged;
            SkippedLocked += other.SkippedLocked;
            Failed += other.Failed;
        }

        public string Describe(bool dryRun) => string.Create(
            CultureInfo.InvariantCulture,
            $"{(dryRun ? "Preview: would change" : "Changed")} {ChangedBooks:N0} of {Processed:N0} books ({ChangedFields:N0} fields); "
            + $"{Unchanged:N0} unchanged, {SkippedLocked:N0} locked fields kept, {Failed:N0} files could not be read.");
    }
}
