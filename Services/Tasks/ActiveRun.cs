using Booklore.Tasks.Data;

namespace Booklore.Tasks.Services.Tasks;

/// <summary>
/// The live, in-memory state of a run that has not ended. One lock guards every field, so a
/// snapshot is always consistent; the engine copies it to the database on state changes and
/// on each heartbeat.
/// </summary>
internal sealed class ActiveRun : IDisposable
{
    private readonly object _gate = new();
    private readonly List<TaskRunIssue> _unsavedIssues = [];
    private readonly Action<ActiveRun, bool> _changed;
    private readonly TimeProvider _time;
    private readonly RunProgressState _progress = new();
    private RunState _state;
    private int _warningCount;
    private int _errorCount;

    public ActiveRun(
        TaskRun row,
        IMaintenanceTask task,
        object options,
        TimeProvider time,
        Action<ActiveRun, bool> changed)
    {
        _time = time;
        Id = row.Id;
        Task = task;
        Options = options;
        Trigger = row.Trigger;
        QueuedAt = row.QueuedAt;
        _state = row.State;
        _progress.UpdatedAt = row.UpdatedAt;
        _changed = changed;
    }

    public long Id { get; }
    public IMaintenanceTask Task { get; }
    public object Options { get; }
    public string Trigger { get; }
    public DateTimeOffset QueuedAt { get; }
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Completes when the run has reached a final state.</summary>
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RunState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    public DateTimeOffset? CancelRequestedAt { get; private set; }
    public DateTimeOffset? HeartbeatAt { get; private set; }

    /// <summary>
    /// Moves the run to <paramref name="state"/>, and sets <paramref name="message"/> with it, unless
    /// the run has already reached a final state. Returns false when the run did not move.
    /// </summary>
    public bool TransitionTo(RunState state, DateTimeOffset at, string? message = null)
    {
        lock (_gate)
        {
            if (IsFinal(_state) || _state == state)
            {
                return false;
            }

            if (_state == RunState.Cancelling && state == RunState.Running)
            {
                return false;
            }

            _state = state;
            if (message is not null)
            {
                _progress.Message = message;
            }

            _progress.UpdatedAt = at;
            if (state == RunState.Running)
            {
                StartedAt = at;
                _progress.LastProgressAt = at;
                HeartbeatAt = at;
            }

            if (state == RunState.Cancelling || (state == RunState.Cancelled && CancelRequestedAt is null))
            {
                CancelRequestedAt = at;
            }

            if (IsFinal(state))
            {
                FinishedAt = at;
            }
        }

        _changed(this, true);
        return true;
    }

    /// <summary>
    /// Records a cancel request in one step under the lock: a queued run ends as Cancelled with
    /// <paramref name="queuedSummary"/>, a running one moves to Cancelling. Checking the state and
    /// then moving it in two steps could end a run as Cancelled that the worker had just started.
    /// Returns false when the run has already ended.
    /// </summary>
    public bool RequestCancel(DateTimeOffset at, string queuedSummary)
    {
        lock (_gate)
        {
            if (IsFinal(_state) || _state == RunState.Cancelling)
            {
                return false;
            }

            CancelRequestedAt = at;
            _progress.UpdatedAt = at;
            if (_state == RunState.Queued)
            {
                _state = RunState.Cancelled;
                _progress.Summary = queuedSummary;
                _progress.Message = queuedSummary;
                FinishedAt = at;
            }
            else
            {
                _state = RunState.Cancelling;
            }
        }

        _changed(this, true);
        return true;
    }

    /// <summary>Applies a progress change; any change of items done, current item or message counts as progress for stale detection.</summary>
    public void Update(Action<RunProgressState> change)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var done = _progress.Done;
            var message = _progress.Message;
            var item = _progress.CurrentItem;
            change(_progress);
            _progress.UpdatedAt = now;
            if (_progress.Done != done || _progress.Message != message || _progress.CurrentItem != item)
            {
                _progress.LastProgressAt = now;
            }
        }

        _changed(this, false);
    }

    public void Beat(DateTimeOffset at)
    {
        lock (_gate)
        {
            HeartbeatAt = at;
        }
    }

    public void AddIssue(IssueSeverity severity, string message, string? path, int? bookId)
    {
        lock (_gate)
        {
            _unsavedIssues.Add(new TaskRunIssue
            {
                RunId = Id,
                Severity = severity,
                Message = message,
                Path = path,
                BookId = bookId,
            });
            if (severity == IssueSeverity.Error)
            {
                _errorCount++;
            }
            else
            {
                _warningCount++;
            }
        }

        _changed(this, false);
    }

    /// <summary>Returns the issues added since the last call, for the engine to store.</summary>
    public List<TaskRunIssue> TakeUnsavedIssues()
    {
        lock (_gate)
        {
            var issues = _unsavedIssues.ToList();
            _unsavedIssues.Clear();
            return issues;
        }
    }

    public RunSnapshot Snapshot(DateTimeOffset now, TimeSpan staleAfter, TimeSpan heartbeatTimeout)
    {
        lock (_gate)
        {
            var rate = ComputeRate(now);
            var remaining = _progress.Total - _progress.Done;
            return new RunSnapshot
            {
                Id = Id,
                Task = Task.Key,
                Trigger = Trigger,
                Options = Options,
                State = _state,
                Stale = _state == RunState.Running ? DetectStale(now, staleAfter, heartbeatTimeout) : null,
                Progress = new RunProgress(
                    _progress.Done,
                    _progress.Total,
                    _progress.CurrentItem,
                    rate,
                    rate > 0 && remaining > 0 ? remaining / rate : null),
                Message = _progress.Message,
                QueuedAt = QueuedAt,
                StartedAt = StartedAt,
                UpdatedAt = _progress.UpdatedAt,
                HeartbeatAt = HeartbeatAt,
                FinishedAt = FinishedAt,
                CancelRequestedAt = CancelRequestedAt,
                Counters = _progress.Counters,
                Summary = _progress.Summary,
                WarningCount = _warningCount,
                ErrorCount = _errorCount,
            };
        }
    }

    /// <summary>Signals the run's token; does nothing once the run has ended and released it.</summary>
    public async Task RequestCancelAsync()
    {
        try
        {
            await Cancellation.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The run ended between the caller finding it and this call.
        }
    }

    public void Dispose() => Cancellation.Dispose();

    public static bool IsFinal(RunState state) => state is not (RunState.Queued or RunState.Running or RunState.Cancelling);

    private double? ComputeRate(DateTimeOffset now)
    {
        if (StartedAt is not { } started || _progress.Done == 0)
        {
            return null;
        }

        var seconds = ((FinishedAt ?? now) - started).TotalSeconds;
        return seconds > 0.05 ? _progress.Done / seconds : null;
    }

    private StaleInfo? DetectStale(DateTimeOffset now, TimeSpan staleAfter, TimeSpan heartbeatTimeout)
    {
        var lastProgress = _progress.LastProgressAt ?? StartedAt ?? QueuedAt;
        if (HeartbeatAt is { } beat && now - beat > heartbeatTimeout)
        {
            return new StaleInfo($"The runner's heartbeat stopped at {beat:u}.", lastProgress, _progress.Message);
        }

        return now - lastProgress > staleAfter
            ? new StaleInfo($"No progress for {FormatQuiet(now - lastProgress)}.", lastProgress, _progress.Message)
            : null;
    }

    /// <summary>Formats a time without progress in whole minutes, or in seconds below two minutes.</summary>
    private static string FormatQuiet(TimeSpan quiet) => quiet < TimeSpan.FromMinutes(2)
        ? $"{(int)quiet.TotalSeconds} seconds"
        : $"{(int)quiet.TotalMinutes} minutes";
}

/// <summary>The mutable progress fields of an <see cref="ActiveRun"/>, changed only under its lock.</summary>
internal sealed class RunProgressState
{
    public long Done { get; private set; }
    public long Total { get; private set; }
    public string? CurrentItem { get; private set; }
    public string? Message { get; set; }
    public string? Summary { get; set; }
    public RunCounters Counters { get; set; } = new(0, 0, 0, 0, 0, 0, 0);
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? LastProgressAt { get; set; }

    public void SetTotal(long total)
    {
        Total = Math.Max(total, Done);
    }

    public void Set(long done, long total, string? currentItem)
    {
        Done = Math.Max(Done, done);
        Total = Math.Max(total, Done);
        if (currentItem is not null)
        {
            CurrentItem = currentItem;
        }
    }

    public void Advance(long items, string? currentItem)
    {
        Done += Math.Max(0, items);
        Total = Math.Max(Total, Done);
        if (currentItem is not null)
        {
            CurrentItem = currentItem;
        }
    }
}
