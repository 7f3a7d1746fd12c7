using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Booklore.Tasks.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Booklore.Tasks.Services.Tasks;

/// <summary>
/// Owns every task definition and every active run. Starting, cancelling and reading runs
/// goes through here; <see cref="TaskRunWorker"/> executes the runs it queues.
/// Subscribers of <see cref="RunChanged"/> get every state change at once and progress at
/// most once per <see cref="TaskEngineOptions.ProgressEventInterval"/> per run.
/// </summary>
public sealed partial class TaskRegistry : IDisposable
{
    private readonly Dictionary<string, IMaintenanceTask> _tasks;
    private readonly ConcurrentDictionary<long, ActiveRun> _activeRuns = new();
    private readonly ConcurrentDictionary<long, byte> _dirtyRuns = new();
    private readonly Channel<ActiveRun> _queue = Channel.CreateUnbounded<ActiveRun>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private readonly IDbContextFactory<BookloreDbContext> _contextFactory;
    private readonly TimeProvider _time;
    private readonly TaskEngineOptions _options;
    private readonly ILogger<TaskRegistry> _logger;

    public TaskRegistry(
        IEnumerable<IMaintenanceTask> tasks,
        IDbContextFactory<BookloreDbContext> contextFactory,
        TimeProvider time,
        IOptions<TaskEngineOptions> options,
        ILogger<TaskRegistry> logger)
    {
        Tasks = [.. tasks];
        _tasks = Tasks.ToDictionary(task => task.Key, StringComparer.Ordinal);
        _contextFactory = contextFactory;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Raised on every state change and, throttled, on progress. Handlers must return quickly.</summary>
    public event Action<RunSnapshot>? RunChanged;

    public IReadOnlyList<IMaintenanceTask> Tasks { get; }

    internal ChannelReader<ActiveRun> Queue => _queue.Reader;

    internal TimeProvider Time => _time;

    internal TaskEngineOptions EngineOptions => _options;

    public IMaintenanceTask? FindTask(string key) => _tasks.GetValueOrDefault(key);

    /// <summary>
    /// Starts a run of <paramref name="taskKey"/>, or returns the run already in progress. Throws
    /// <see cref="KeyNotFoundException"/> for an unknown task and <see cref="InvalidRunOptionsException"/>
    /// for invalid options, before anything is stored.
    /// </summary>
    public async Task<StartRunResult> StartAsync(
        string taskKey,
        JsonElement? options,
        string trigger,
        CancellationToken cancellationToken)
    {
        var task = FindTask(taskKey) ?? throw new KeyNotFoundException($"There is no task with the key '{taskKey}'.");
        var parsedOptions = task.ParseOptions(options);
        if (parsedOptions is ILibraryScopedOptions { LibraryId: { } libraryId })
        {
            await EnsureLibraryExistsAsync(libraryId, cancellationToken);
        }

        await _startGate.WaitAsync(cancellationToken);
        try
        {
            if (GetActiveRun(taskKey) is { } running)
            {
                return new StartRunResult(running, AlreadyRunning: true);
            }

            var run = await InsertRunAsync(task, parsedOptions, trigger, cancellationToken);
            _activeRuns[run.Id] = run;
            _queue.Writer.TryWrite(run);
            LogRunQueued(run.Id, taskKey, trigger);
            Publish(run);
            return new StartRunResult(Snapshot(run), AlreadyRunning: false);
        }
        finally
        {
            _startGate.Release();
        }
    }

    /// <summary>
    /// Asks a run to stop. A queued run is cancelled at once; a running one moves to Cancelling
    /// and to Cancelled when its work has stopped. Returns null for an unknown run.
    /// </summary>
    public async Task<RunSnapshot?> CancelAsync(long runId, CancellationToken cancellationToken)
    {
        if (!_activeRuns.TryGetValue(runId, out var run))
        {
            return await GetRunAsync(runId, cancellationToken);
        }

        var now = _time.GetUtcNow();
        if (run.State == RunState.Queued)
        {
            run.Update(progress =>
            {
                progress.Summary = "Cancelled before it started.";
                progress.Message = progress.Summary;
            });
            run.TransitionTo(RunState.Cancelled, now);
        }
        else
        {
            run.TransitionTo(RunState.Cancelling, now);
        }

        LogCancelRequested(runId, run.Task.Key);
        await run.RequestCancelAsync();
        return Snapshot(run);
    }

    /// <exception cref="InvalidRunOptionsException">No library has the id.</exception>
    private async Task EnsureLibraryExistsAsync(int libraryId, CancellationToken cancellationToken)
    {
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        if (!await context.Libraries.AnyAsync(library => library.Id == libraryId, cancellationToken))
        {
            throw new InvalidRunOptionsException(
                "libraryId",
                $"There is no library with id {libraryId}; GET /api/v1/libraries lists them, or send null for all libraries.");
        }
    }

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

    /// <summary>The queued or running run of a task, or null.</summary>
    public RunSnapshot? GetActiveRun(string taskKey)
    {
        var run = _activeRuns.Values
            .Where(active => active.Task.Key == taskKey && !ActiveRun.IsFinal(active.State))
            .MinBy(active => active.Id);
        return run is null ? null : Snapshot(run);
    }

    public IReadOnlyList<RunSnapshot> GetActiveRuns() =>
        [.. _activeRuns.Values.OrderBy(run => run.Id).Select(Snapshot)];

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

    public void Dispose() => _startGate.Dispose();

    internal RunSnapshot Snapshot(ActiveRun run) =>
        run.Snapshot(_time.GetUtcNow(), _options.StaleAfter, _options.HeartbeatTimeout);

    internal IEnumerable<ActiveRun> ActiveRunsSnapshot() => _activeRuns.Values.OrderBy(run => run.Id).ToList();

    internal void Forget(ActiveRun run)
    {
        _activeRuns.TryRemove(run.Id, out _);
        _dirtyRuns.TryRemove(run.Id, out _);
    }

    /// <summary>Publishes progress of runs that changed since the last call; the worker calls this on a timer.</summary>
    internal void PublishPendingProgress()
    {
        foreach (var runId in _dirtyRuns.Keys)
        {
            if (_dirtyRuns.TryRemove(runId, out _) && _activeRuns.TryGetValue(runId, out var run))
            {
                Publish(run);
            }
        }
    }

    /// <summary>Publishes running runs again so that pages see them turn stale without new progress.</summary>
    internal void PublishRunning()
    {
        foreach (var run in _activeRuns.Values.Where(run => run.State == RunState.Running))
        {
            Publish(run);
        }
    }

    internal void Publish(ActiveRun run) => Publish(Snapshot(run));

    internal void Publish(RunSnapshot snapshot)
    {
        var handlers = RunChanged;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<RunSnapshot>>())
        {
            try
            {
                handler(snapshot);
            }
#pragma warning disable CA1031 // One failing subscriber (a closed page) must not stop the others.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogSubscriberFailed(exception, snapshot.Id);
            }
        }
    }

    private void OnRunChanged(ActiveRun run, bool stateChanged)
    {
        if (stateChanged)
        {
            _dirtyRuns.TryRemove(run.Id, out _);
            Publish(run);
        }
        else
        {
            _dirtyRuns[run.Id] = 0;
        }
    }

    private async Task<ActiveRun> InsertRunAsync(
        IMaintenanceTask task,
        object options,
        string trigger,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var row = new TaskRun
        {
            TaskKey = task.Key,
            Trigger = trigger,
            OptionsJson = JsonSerializer.Serialize(options, options.GetType(), RunJson.Options),
            State = RunState.Queued,
            QueuedAt = now,
            UpdatedAt = now,
            Message = "Waiting to start.",
        };
        await using var context = await _contextFactory.CreateDbContextAsync(cancellationToken);
        context.TaskRuns.Add(row);
        await context.SaveChangesAsync(cancellationToken);
        var run = new ActiveRun(row, task, options, _time, OnRunChanged);
        run.Update(progress => progress.Message = row.Message);
        return run;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of {TaskKey} queued by {Trigger}")]
    private partial void LogRunQueued(long runId, string taskKey, string trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancel requested for run {RunId} of {TaskKey}")]
    private partial void LogCancelRequested(long runId, string taskKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} old runs of {TaskKey} by the history retention settings")]
    private partial void LogPruned(int count, string taskKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A subscriber failed to handle the change of run {RunId}")]
    private partial void LogSubscriberFailed(Exception exception, long runId);
}
