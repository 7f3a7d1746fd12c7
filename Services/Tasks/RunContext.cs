using Booklore.Tasks.Data;

namespace Booklore.Tasks.Services.Tasks;

/// <summary>
/// The view a task has of its run: its options, its cancellation token, and ways to report
/// progress, counters and issues. Thread-safe, so a task may report from parallel workers.
/// </summary>
public sealed class RunContext
{
    private readonly ActiveRun _run;

    internal RunContext(ActiveRun run, TimeProvider time)
    {
        _run = run;
        Time = time;
    }

    public long RunId => _run.Id;
    public object Options => _run.Options;
    public CancellationToken CancellationToken => _run.Cancellation.Token;
    public TimeProvider Time { get; }

    public T GetOptions<T>() => (T)_run.Options;

    /// <summary>Sets the number of items the run will process. A total never shrinks below the items done.</summary>
    public void SetTotal(long total) => _run.Update(progress => progress.SetTotal(total));

    /// <summary>Counts <paramref name="items"/> more items done and names the one being worked on.</summary>
    public void Advance(long items = 1, string? currentItem = null) =>
        _run.Update(progress => progress.Advance(items, currentItem));

    /// <summary>Reports absolute progress; items done never go backwards.</summary>
    public void SetProgress(long done, long total, string? currentItem = null) =>
        _run.Update(progress => progress.Set(done, total, currentItem));

    public void SetMessage(string message) => _run.Update(progress => progress.Message = message);

    public void AddCounters(
        long processed = 0,
        long changed = 0,
        long unchanged = 0,
        long skippedLocked = 0,
        long failed = 0,
        long filesDeleted = 0,
        long bytesFreed = 0) =>
        _run.Update(progress => progress.Counters = progress.Counters with
        {
            Processed = progress.Counters.Processed + processed,
            Changed = progress.Counters.Changed + changed,
            Unchanged = progress.Counters.Unchanged + unchanged,
            SkippedLocked = progress.Counters.SkippedLocked + skippedLocked,
            Failed = progress.Counters.Failed + failed,
            FilesDeleted = progress.Counters.FilesDeleted + filesDeleted,
            BytesFreed = progress.Counters.BytesFreed + bytesFreed,
        });

    public void AddWarning(string message, string? path = null, int? bookId = null) =>
        _run.AddIssue(IssueSeverity.Warning, message, path, bookId);

    public void AddError(string message, string? path = null, int? bookId = null) =>
        _run.AddIssue(IssueSeverity.Error, message, path, bookId);

    /// <summary>Sets the one-sentence summary shown after the run; the engine writes one when the task does not.</summary>
    public void SetSummary(string summary) => _run.Update(progress => progress.Summary = summary);
}
