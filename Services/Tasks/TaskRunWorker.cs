using Booklore.Tasks.Data;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Services.Tasks;

/// <summary>
/// Executes the runs that <see cref="TaskRegistry"/> queues, each on its own so that different
/// tasks run at the same time. A run waits as Queued while a conflicting run is active. On
/// shutdown every active run is cancelled and stored as Interrupted.
/// </summary>
public sealed partial class TaskRunWorker(
    TaskRegistry registry,
    IDbContextFactory<BookloreDbContext> contextFactory,
    ILogger<TaskRunWorker> logger) : BackgroundService, IHostedLifecycleService
{
    private readonly List<Task> _executions = [];
    private volatile bool _stopping;

    /// <summary>Marks runs left active by a previous process as Interrupted; call once before the worker starts.</summary>
    public async Task RecoverInterruptedRunsAsync(CancellationToken cancellationToken)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var leftOver = await context.TaskRuns
            .Where(run => run.State == RunState.Queued || run.State == RunState.Running || run.State == RunState.Cancelling)
            .ToListAsync(cancellationToken);
        var now = registry.Time.GetUtcNow();
        foreach (var run in leftOver)
        {
            var lastSign = run.HeartbeatAt ?? run.UpdatedAt;
            run.State = RunState.Interrupted;
            run.FinishedAt = now;
            run.UpdatedAt = now;
            // The stored counts are those of the last heartbeat save, so items finished after it are not counted.
            run.Summary = $"Interrupted: the server stopped during the run. Last heartbeat at {lastSign:u}, "
                + $"when {run.Done} of {run.Total} items were done; work after it may also have been saved.";
            LogRecoveredRun(run.Id, run.TaskKey, lastSign);
        }

        await context.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Cancels the active runs as soon as the host begins to stop, before any hosted service
    /// stops: the web server waits up to the shutdown timeout for open pages and event streams,
    /// and a run must not go on (and end as Success) during that wait.
    /// NOTE: with an admin page open, the process still exits only after that wait (30 s by
    /// default, HostOptions.ShutdownTimeout), although its runs are stored as Interrupted at once.
    /// </summary>
    public Task StoppingAsync(CancellationToken cancellationToken) => InterruptActiveRunsAsync();

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await InterruptActiveRunsAsync();

        Task[] executions;
        lock (_executions)
        {
            executions = [.. _executions];
        }

        await Task.WhenAll(executions).WaitAsync(TimeSpan.FromSeconds(10), registry.Time, cancellationToken)
            .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await base.StopAsync(cancellationToken);
    }

    private async Task InterruptActiveRunsAsync()
    {
        _stopping = true;
        foreach (var run in registry.ActiveRunsSnapshot())
        {
            await run.RequestCancelAsync();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var publisher = PublishProgressAsync(stoppingToken);
        try
        {
            await foreach (var run in registry.Queue.ReadAllAsync(stoppingToken))
            {
                var execution = Task.Run(() => ExecuteRunAsync(run), CancellationToken.None);
                lock (_executions)
                {
                    _executions.RemoveAll(task => task.IsCompleted);
                    _executions.Add(execution);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; StopAsync interrupts the active runs.
        }

        await publisher;
    }

    private async Task PublishProgressAsync(CancellationToken stoppingToken)
    {
        var options = registry.EngineOptions;
        using var timer = new PeriodicTimer(options.ProgressEventInterval, registry.Time);
        var staleCheckEvery = Math.Max(1, (int)(TimeSpan.FromSeconds(5) / options.ProgressEventInterval));
        var tick = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                registry.PublishPendingProgress();
                if (++tick % staleCheckEvery == 0)
                {
                    registry.PublishRunning();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task ExecuteRunAsync(ActiveRun run)
    {
        try
        {
            await WaitForConflictsAsync(run);

            // Moving to Running fails when a cancel ended the queued run in the meantime.
            if (!run.Cancellation.IsCancellationRequested && run.TransitionTo(RunState.Running, registry.Time.GetUtcNow(), "Starting."))
            {
                await RunTaskAsync(run);
            }
            else
            {
                FinishCancelledBeforeStart(run);
            }
        }
#pragma warning disable CA1031 // The engine must record any failure instead of losing the run.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogEngineFailure(exception, run.Id, run.Task.Key);
            run.Update(progress => progress.Summary = $"Failed: {exception.Message}");
            run.TransitionTo(RunState.Error, registry.Time.GetUtcNow());
        }
        finally
        {
            await SaveFinalAsync(run);
            registry.Forget(run);
            run.Finished.TrySetResult();
            run.Dispose();
            await PruneHistoryAsync(run.Task.Key);
        }
    }

    private async Task PruneHistoryAsync(string taskKey)
    {
        try
        {
            await registry.PruneHistoryAsync(taskKey, CancellationToken.None);
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            // History is pruned again after the next run; a failure here must not disturb this one.
            LogPruneFailed(exception, taskKey);
        }
    }

    private void FinishCancelledBeforeStart(ActiveRun run)
    {
        var state = _stopping ? RunState.Interrupted : RunState.Cancelled;
        run.Update(progress => progress.Summary ??= _stopping
            ? "Interrupted: the server stopped before the run started."
            : "Cancelled before it started.");
        run.TransitionTo(state, registry.Time.GetUtcNow());
    }

    private async Task WaitForConflictsAsync(ActiveRun run)
    {
        while (true)
        {
            var blocker = registry.ActiveRunsSnapshot()
                .FirstOrDefault(other => other.Id < run.Id
                    && !ActiveRun.IsFinal(other.State)
                    && (run.Task.ConflictsWith(other.Task.Key, other.Options) || other.Task.ConflictsWith(run.Task.Key, run.Options)));
            if (blocker is null || run.Cancellation.IsCancellationRequested)
            {
                return;
            }

            run.Update(progress => progress.Message = $"Waiting for {blocker.Task.Name} (run {blocker.Id}) to finish.");
            await SaveProgressAsync(run, CancellationToken.None);
            try
            {
                await blocker.Finished.Task.WaitAsync(run.Cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunTaskAsync(ActiveRun run)
    {
        var time = registry.Time;
        var started = run.StartedAt ?? time.GetUtcNow();
        await SaveProgressAsync(run, CancellationToken.None);
        LogRunStarted(run.Id, run.Task.Key, run.Trigger, run.Options);

        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = BeatAsync(run, heartbeatStop.Token);
        var context = new RunContext(run, time);
        RunState outcome;
        string? failure = null;
        try
        {
            await run.Task.ExecuteAsync(context);
            run.Cancellation.Token.ThrowIfCancellationRequested();
            var snapshot = registry.Snapshot(run);
            outcome = snapshot.WarningCount + snapshot.ErrorCount > 0 ? RunState.Warning : RunState.Success;
        }
        catch (OperationCanceledException) when (run.Cancellation.IsCancellationRequested)
        {
            outcome = _stopping ? RunState.Interrupted : RunState.Cancelled;
        }
#pragma warning disable CA1031 // A task's failure becomes the run's Error state with its reason.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRunFailed(exception, run.Id, run.Task.Key);
            failure = exception.Message;
            outcome = RunState.Error;
        }

        await heartbeatStop.CancelAsync();
        await heartbeat;
        var finished = time.GetUtcNow();
        var summary = RunSummaries.Describe(registry.Snapshot(run), outcome, failure);
        run.Update(progress =>
        {
            progress.Summary = summary;
            progress.Message = summary;
        });
        run.TransitionTo(outcome, finished);
        var counters = registry.Snapshot(run).Counters;
        LogRunEnded(run.Id, run.Task.Key, run.Trigger, outcome, (finished - started).TotalSeconds, counters);
    }

    private async Task BeatAsync(ActiveRun run, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(registry.EngineOptions.HeartbeatInterval, registry.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                run.Beat(registry.Time.GetUtcNow());
                try
                {
                    await SaveProgressAsync(run, stop);
                }
                catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or DbUpdateException)
                {
                    // A busy or failing database must not stop the heartbeat (and so mark the run
                    // stale) or end the run as Error; the next beat saves again.
                    LogHeartbeatSaveFailed(exception, run.Id, run.Task.Key);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run ended.
        }
    }

    private Task SaveFinalAsync(ActiveRun run) => SaveProgressAsync(run, CancellationToken.None);

    private async Task SaveProgressAsync(ActiveRun run, CancellationToken cancellationToken)
    {
        var snapshot = registry.Snapshot(run);
        var issues = run.TakeUnsavedIssues();
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var row = await context.TaskRuns.SingleAsync(stored => stored.Id == run.Id, cancellationToken);
        RunRows.CopySnapshot(snapshot, row);
        context.TaskRunIssues.AddRange(issues);
        await context.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} of {TaskKey} was left active at {LastHeartbeat} and is now Interrupted")]
    private partial void LogRecoveredRun(long runId, string taskKey, DateTimeOffset lastHeartbeat);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of {TaskKey} started ({Trigger}) with options {Options}")]
    private partial void LogRunStarted(long runId, string taskKey, string trigger, object options);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} of {TaskKey} ({Trigger}) ended {Outcome} after {Seconds:0.0} s with {Counters}")]
    private partial void LogRunEnded(long runId, string taskKey, string trigger, RunState outcome, double seconds, RunCounters counters);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} of {TaskKey} failed")]
    private partial void LogRunFailed(Exception exception, long runId, string taskKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving the heartbeat of run {RunId} of {TaskKey} failed; the next heartbeat tries again")]
    private partial void LogHeartbeatSaveFailed(Exception exception, long runId, string taskKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the run history of {TaskKey} failed")]
    private partial void LogPruneFailed(Exception exception, string taskKey);

    [LoggerMessage(Level = LogLevel.Error, Message = "The engine failed while handling run {RunId} of {TaskKey}")]
    private partial void LogEngineFailure(Exception exception, long runId, string taskKey);
}
