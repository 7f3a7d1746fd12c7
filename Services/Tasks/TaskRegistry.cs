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
    private readonly Lock _publishGate = new();
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

    /// <summary>
    /// Raised on every state change and, throttled, on progress, one snapshot at a time in the order
    /// taken. Handlers must return quickly and must not start or cancel runs.
    /// </summary>
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

        run.RequestCancel(_time.GetUtcNow(), "Cancelled before it started.");
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

    /// <summary>The queued or running run of a task, or null.</summary>
    public RunSnapshot? GetActiveRun(string taskKey)
    {
        var run = _activeRuns.Values
            .Where(active => active.Task.Key == taskKey && !ActiveRun.IsFinal(active.State))
            .MinBy(active => active.Id);
        return run is null ? null : Snapshot(run);
    }

    /// <summary>
    /// Subscribes <paramref name="handler"/> to <see cref="RunChanged"/> and returns the active runs
    /// as of that moment. Both happen under the publish lock, so every event the handler gets is
    /// newer than the returned snapshots.
    /// </summary>
    public IReadOnlyList<RunSnapshot> SubscribeWithSnapshot(Action<RunSnapshot> handler)
    {
        lock (_publishGate)
        {
            RunChanged += handler;
            return GetActiveRuns();
        }
    }

    public IReadOnlyList<RunSnapshot> GetActiveRuns() =>
        [.. _activeRuns.Values.OrderBy(run => run.Id).Select(Snapshot)];

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

    /// <summary>
    /// Takes the snapshot and hands it out under one lock: the worker's timer and the run's own
    /// thread both publish, and without the lock a progress snapshot taken before a state change
    /// could reach subscribers after it, so that a page would show a finished run as running.
    /// </summary>
    internal void Publish(ActiveRun run)
    {
        lock (_publishGate)
        {
            Deliver(Snapshot(run));
        }
    }

    internal void Publish(RunSnapshot snapshot)
    {
        lock (_publishGate)
        {
            Deliver(snapshot);
        }
    }

    private void Deliver(RunSnapshot snapshot)
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of {TaskKey} queued by {Trigger}")]
    private partial void LogRunQueued(long runId, string taskKey, string trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cancel requested for run {RunId} of {TaskKey}")]
    private partial void LogCancelRequested(long runId, string taskKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A subscriber failed to handle the change of run {RunId}")]
    private partial void LogSubscriberFailed(Exception exception, long runId);
}
