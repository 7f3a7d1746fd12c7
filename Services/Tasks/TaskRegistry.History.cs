using System.Text.Json;
using Booklore.Tasks.Data;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Services.Tasks;

/// <summary>The stored side of the registry: run history, issues, changes, skipped starts and retention.</summary>
public sealed partial class TaskRegistry
{
    /// <summary>Stores a start that was not made because <paramref name="runningId"/> was still running.</summary>
    public async Task<RunSnapshot> RecordSkippedAsync(
        string taskKey,
        JsonElement? options,
        string trigger,
        long runningId,
        CancellationToken cancellationToken)
    {
        var task = FindTask(taskKey) ?? throw new KeyNotFoundException($"There is no task with the key '{taskKey}'.");
        var parsedOptions = task.ParseOptions(options);
        var now = _time.GetUtcNow();
        var summary = $"Skipped: run {runningId} was still running, so no second run was started.";
        var row = new TaskRun
        {
            TaskKey = taskKey,
            Trigger = trigger,
            OptionsJson = JsonSerializer.Serialize(parsedOptions, parsedOptions.GetType(), RunJson.Options),
            State = RunState.Skipped,
            QueuedAt = now,
            UpdatedAt = now,
            FinishedAt = now,
            Message = summary,
            Summary = summary,
        };
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        context.TaskRuns.Add(row);
        await context.SaveChangesAsync(cancellationToken);
        var snapshot = await ToSnapshotAsync(context, row, cancellationToken);
        Publish(snapshot);
        return snapshot;
    }

    /// <summary>Finds a run, live if it is active, else from the history.</summary>
    public async Task<RunSnapshot?> GetRunAsync(long runId, CancellationToken cancellationToken)
    {
        if (_activeRuns.TryGetValue(runId, out var active))
        {
            return Snapshot(active);
        }

        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        var row = await context.TaskRuns.AsNoTracking().SingleOrDefaultAsync(run => run.Id == runId, cancellationToken);
        return row is null ? null : await ToSnapshotAsync(context, row, cancellationToken);
    }

    /// <summary>The latest runs of a task, newest first, live ones included.</summary>
    public async Task<IReadOnlyList<RunSnapshot>> GetHistoryAsync(
        string? taskKey,
        int limit,
        CancellationToken cancellationToken)
    {
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        var query = context.TaskRuns.AsNoTracking();
        if (taskKey is not null)
        {
            query = query.Where(run => run.TaskKey == taskKey);
        }

        var rows = await query.OrderByDescending(run => run.Id).Take(limit).ToListAsync(cancellationToken);
        var snapshots = new List<RunSnapshot>(rows.Count);
        foreach (var row in rows)
        {
            snapshots.Add(_activeRuns.TryGetValue(row.Id, out var active)
                ? Snapshot(active)
                : await ToSnapshotAsync(context, row, cancellationToken));
        }

        return snapshots;
    }

    /// <summary>The most recent finished run of each task, by task key.</summary>
    public async Task<IReadOnlyDictionary<string, RunSnapshot>> GetLastFinishedRunsAsync(CancellationToken cancellationToken)
    {
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        var finalStates = new[] { RunState.Success, RunState.Warning, RunState.Error, RunState.Cancelled, RunState.Interrupted };
        // Skipped scheduled starts stay out of "last run": nothing ran.
        var lastIds = await context.TaskRuns.AsNoTracking()
            .Where(run => finalStates.Contains(run.State))
            .GroupBy(run => run.TaskKey)
            .Select(group => group.Max(run => run.Id))
            .ToListAsync(cancellationToken);
        var rows = await context.TaskRuns.AsNoTracking().Where(run => lastIds.Contains(run.Id)).ToListAsync(cancellationToken);
        var result = new Dictionary<string, RunSnapshot>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            result[row.TaskKey] = await ToSnapshotAsync(context, row, cancellationToken);
        }

        return result;
    }

    public async Task<IReadOnlyList<TaskRunIssue>> GetIssuesAsync(long runId, int limit, CancellationToken cancellationToken)
    {
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.TaskRunIssues.AsNoTracking()
            .Where(issue => issue.RunId == runId)
            .OrderBy(issue => issue.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<MetadataChange>> GetChangesAsync(long runId, int limit, CancellationToken cancellationToken)
    {
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        return await context.MetadataChanges.AsNoTracking()
            .Where(change => change.RunId == runId)
            .OrderBy(change => change.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes finished runs of a task beyond <see cref="TaskEngineOptions.HistoryMaxRunsPerTask"/>
    /// or older than <see cref="TaskEngineOptions.HistoryMaxAge"/>; their issues and changes go with them.
    /// Returns the number of runs deleted.
    /// </summary>
    public async Task<int> PruneHistoryAsync(string taskKey, CancellationToken cancellationToken)
    {
        var activeStates = new[] { RunState.Queued, RunState.Running, RunState.Cancelling };
        var cutoff = _time.GetUtcNow() - _options.HistoryMaxAge;
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        var finished = context.TaskRuns.Where(run => run.TaskKey == taskKey && !activeStates.Contains(run.State));
        var keepFromId = await finished.OrderByDescending(run => run.Id)
            .Skip(_options.HistoryMaxRunsPerTask - 1)
            .Select(run => (long?)run.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var deleted = await finished
            .Where(run => (keepFromId != null && run.Id < keepFromId) || (run.FinishedAt != null && run.FinishedAt < cutoff))
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            LogPruned(deleted, taskKey);
        }

        return deleted;
    }

    private async Task<RunSnapshot> ToSnapshotAsync(BookloreDbContext context, TaskRun row, CancellationToken cancellationToken)
    {
        var counts = await context.TaskRunIssues.AsNoTracking()
            .Where(issue => issue.RunId == row.Id)
            .GroupBy(issue => issue.Severity)
            .Select(group => new { group.Key, Count = group.Count() })
            .ToListAsync(cancellationToken);
        var task = FindTask(row.TaskKey);
        object options = task is null ? JsonDocument.Parse(row.OptionsJson).RootElement : ParseStoredOptions(task, row.OptionsJson);
        return new RunSnapshot
        {
            Id = row.Id,
            Task = row.TaskKey,
            Trigger = row.Trigger,
            Options = options,
            State = row.State,
            Progress = new RunProgress(row.Done, row.Total, row.CurrentItem, null, null),
            Message = row.Message,
            QueuedAt = row.QueuedAt,
            StartedAt = row.StartedAt,
            UpdatedAt = row.UpdatedAt,
            HeartbeatAt = row.HeartbeatAt,
            FinishedAt = row.FinishedAt,
            CancelRequestedAt = row.CancelRequestedAt,
            Counters = new RunCounters(row.Processed, row.Changed, row.Unchanged, row.SkippedLocked, row.Failed, row.FilesDeleted, row.BytesFreed),
            Summary = row.Summary,
            WarningCount = counts.FirstOrDefault(count => count.Key == IssueSeverity.Warning)?.Count ?? 0,
            ErrorCount = counts.FirstOrDefault(count => count.Key == IssueSeverity.Error)?.Count ?? 0,
            UndoneAt = row.UndoneAt,
        };
    }

    private static object ParseStoredOptions(IMaintenanceTask task, string json)
    {
        using var document = JsonDocument.Parse(json);
        try
        {
            return task.ParseOptions(document.RootElement.Clone());
        }
        catch (InvalidRunOptionsException)
        {
            // Options stored by an older version may no longer validate; show them as stored.
            return document.RootElement.Clone();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} old runs of {TaskKey} by the history retention settings")]
    private partial void LogPruned(int count, string taskKey);
}
