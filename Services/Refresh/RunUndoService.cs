using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Services.Refresh;

/// <summary>A field that an undo did not restore, and why.</summary>
public sealed record UndoSkip(int BookId, MetadataField Field, string Reason);

/// <summary>The outcome of undoing a run: how many fields were restored and which were left alone.</summary>
public sealed record UndoResult(long RunId, int Restored, IReadOnlyList<UndoSkip> LeftAlone);

/// <summary>Thrown when a run cannot be undone. The message gives the reason.</summary>
public sealed class RunNotUndoableException(string message) : Exception(message);

/// <summary>
/// Restores the values a refresh run replaced, for every field still holding the value that
/// run wrote. A field changed since (by hand or by a later run), locked since, or whose book
/// is gone is left alone and listed.
/// </summary>
public sealed partial class RunUndoService(
    IDbContextFactory<BookloreDbContext> contextFactory,
    TaskRegistry registry,
    TimeProvider time,
    ILogger<RunUndoService> logger)
{
    public async Task<UndoResult> UndoAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);

        // Microsoft.Data.Sqlite begins the transaction with BEGIN IMMEDIATE, so no edit, refresh batch
        // or second undo can write these rows between the checks below and the restore.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var run = await db.TaskRuns.SingleOrDefaultAsync(stored => stored.Id == runId, cancellationToken)
            ?? throw new KeyNotFoundException($"There is no run with id {runId}.");
        EnsureUndoable(run);

        var changes = await db.MetadataChanges.Where(change => change.RunId == runId).OrderBy(change => change.Id).ToListAsync(cancellationToken);
        var bookIds = changes.Select(change => change.BookId).Distinct().ToList();
        var books = await db.Books.Where(book => bookIds.Contains(book.Id)).ToDictionaryAsync(book => book.Id, cancellationToken);
        var leftAlone = new List<UndoSkip>();
        var restored = 0;
        foreach (var change in changes)
        {
            var skip = Restore(change, books.GetValueOrDefault(change.BookId));
            if (skip is null)
            {
                restored++;
            }
            else
            {
                leftAlone.Add(skip);
            }
        }

        run.UndoneAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogUndone(runId, restored, leftAlone.Count);
        return new UndoResult(runId, restored, leftAlone);
    }

    private void EnsureUndoable(TaskRun run)
    {
        if (run.TaskKey != TaskKeys.RefreshMetadata)
        {
            throw new RunNotUndoableException($"Run {run.Id} is a {run.TaskKey} run; only metadata refresh runs change metadata and can be undone.");
        }

        if (registry.GetActiveRun(run.TaskKey)?.Id == run.Id || !ActiveRun.IsFinal(run.State))
        {
            throw new RunNotUndoableException($"Run {run.Id} has not finished; cancel it or wait for it to end, then undo it.");
        }

        if (run.UndoneAt is { } undoneAt)
        {
            throw new RunNotUndoableException($"Run {run.Id} was already undone at {undoneAt:u}.");
        }

        using var options = System.Text.Json.JsonDocument.Parse(run.OptionsJson);
        if (options.RootElement.TryGetProperty("dryRun", out var dryRun) && dryRun.ValueKind == System.Text.Json.JsonValueKind.True)
        {
            throw new RunNotUndoableException($"Run {run.Id} was a preview and wrote nothing, so there is nothing to undo.");
        }
    }

    private static UndoSkip? Restore(MetadataChange change, Book? book)
    {
        if (book is null)
        {
            return new UndoSkip(change.BookId, change.Field, "The book no longer exists.");
        }

        if (book.GetLockedFields().Contains(change.Field))
        {
            // A run is undone only once, so unlocking later cannot help. The reason gives the old value to type back instead.
            var before = change.OldValue is null ? "it was empty" : $"it was \"{change.OldValue}\"";
            return new UndoSkip(change.BookId, change.Field, $"The field was locked after the run, so it was kept; to restore it, edit it on the book's page ({before}).");
        }

        var current = book.GetMetadata();
        var now = MetadataFieldValues.Format(current, change.Field);
        if (!string.Equals(now, change.NewValue, StringComparison.Ordinal))
        {
            return new UndoSkip(change.BookId, change.Field, $"The field was changed after the run (now \"{now}\"), so that change was kept.");
        }

        if (change.OldJson is null)
        {
            return new UndoSkip(change.BookId, change.Field, "The run did not store the old value.");
        }

        var old = BookMetadataMapping.DeserializeMetadata(change.OldJson);
        book.SetMetadata(MetadataFieldValues.Copy(old, current, change.Field));
        book.SetFieldSource(change.Field, change.OldSource);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} undone: {Restored} fields restored, {LeftAlone} left alone")]
    private partial void LogUndone(long runId, int restored, int leftAlone);
}
