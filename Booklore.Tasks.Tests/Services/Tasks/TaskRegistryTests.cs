using System.Collections.Concurrent;
using System.Text.Json;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Tasks;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Tests.Services.Tasks;

public sealed class TaskRegistryTests
{
    [Fact]
    public async Task StartAsync_FiftyConcurrentStarts_CreatesOneRun()
    {
        var task = new ControlledTask("one");
        await using var engine = await EngineHost.StartAsync([task]);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            Task.Run(() => engine.Registry.StartAsync("one", null, RunTriggers.Api, CancellationToken.None))));

        Assert.Single(results.Select(result => result.Run.Id).Distinct());
        Assert.Equal(49, results.Count(result => result.AlreadyRunning));
        await using var context = engine.Database.CreateDbContext();
        Assert.Equal(1, await context.TaskRuns.CountAsync());
        task.Release(task.Items);
        await engine.WaitForEndAsync(results[0].Run.Id);
        Assert.Equal(1, task.Executions);
    }

    [Fact]
    public async Task ExecuteAsync_AllItemsDone_EndsSuccessWithCounters()
    {
        var task = new ControlledTask("ok");
        await using var engine = await EngineHost.StartAsync([task]);

        var started = await engine.Registry.StartAsync("ok", null, RunTriggers.User, CancellationToken.None);
        task.Release(task.Items);
        var run = await engine.WaitForEndAsync(started.Run.Id);

        Assert.Equal(RunState.Success, run.State);
        Assert.Equal(3, run.Progress.Done);
        Assert.Equal(3, run.Progress.Total);
        Assert.Equal(3, run.Counters.Processed);
        Assert.NotNull(run.StartedAt);
        Assert.NotNull(run.FinishedAt);
        Assert.Equal("Processed 3 items.", run.Summary);
    }

    [Fact]
    public async Task ExecuteAsync_TaskAddsWarning_EndsWarningAndStoresIssue()
    {
        var task = new ControlledTask("warn", items: 1) { WarnWith = "The file is truncated." };
        await using var engine = await EngineHost.StartAsync([task]);

        var started = await engine.Registry.StartAsync("warn", null, RunTriggers.User, CancellationToken.None);
        task.Release();
        var run = await engine.WaitForEndAsync(started.Run.Id);

        Assert.Equal(RunState.Warning, run.State);
        Assert.Equal(1, run.WarningCount);
        var issue = Assert.Single(await engine.Registry.GetIssuesAsync(run.Id, 10, CancellationToken.None));
        Assert.Equal("The file is truncated.", issue.Message);
        Assert.Equal("/library/book.epub", issue.Path);
        Assert.Contains("1 warning", run.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_TaskThrows_EndsErrorWithReason()
    {
        var task = new ControlledTask("fail", items: 1) { FailWith = new InvalidOperationException("The library folder vanished.") };
        await using var engine = await EngineHost.StartAsync([task]);

        var started = await engine.Registry.StartAsync("fail", null, RunTriggers.User, CancellationToken.None);
        task.Release();
        var run = await engine.WaitForEndAsync(started.Run.Id);

        Assert.Equal(RunState.Error, run.State);
        Assert.Contains("The library folder vanished.", run.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelAsync_RunningRun_GoesCancellingThenCancelledWithPartialCount()
    {
        var task = new ControlledTask("long", items: 10);
        await using var engine = await EngineHost.StartAsync([task]);
        var started = await engine.Registry.StartAsync("long", null, RunTriggers.User, CancellationToken.None);
        await task.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        task.Release(2);
        await WaitUntilAsync(() => engine.Registry.GetActiveRun("long")?.Progress.Done == 2);

        var cancelling = await engine.Registry.CancelAsync(started.Run.Id, CancellationToken.None);
        var run = await engine.WaitForEndAsync(started.Run.Id);

        Assert.Equal(RunState.Cancelling, cancelling!.State);
        Assert.Equal(RunState.Cancelled, run.State);
        Assert.NotNull(run.CancelRequestedAt);
        Assert.InRange(run.CancelRequestedAt.Value, run.StartedAt!.Value, run.FinishedAt!.Value);
        Assert.Equal(2, run.Progress.Done);
        Assert.Equal(2, run.Counters.Processed);
        Assert.StartsWith("Cancelled after 2 of 10 items.", run.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ConflictingTaskRunning_WaitsQueuedAndCanBeCancelled()
    {
        var scan = new ControlledTask("scan", items: 1);
        var refresh = new ControlledTask("refresh", items: 1);
        refresh.ConflictingKeys.Add("scan");
        await using var engine = await EngineHost.StartAsync([scan, refresh]);
        var scanRun = await engine.Registry.StartAsync("scan", null, RunTriggers.User, CancellationToken.None);
        await scan.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var refreshRun = await engine.Registry.StartAsync("refresh", null, RunTriggers.User, CancellationToken.None);
        await Task.Delay(100);
        var queued = engine.Registry.GetActiveRun("refresh");
        await engine.Registry.CancelAsync(refreshRun.Run.Id, CancellationToken.None);
        var cancelled = await engine.WaitForEndAsync(refreshRun.Run.Id);
        scan.Release();
        var finished = await engine.WaitForEndAsync(scanRun.Run.Id);

        Assert.Equal(RunState.Queued, queued!.State);
        Assert.Contains("Waiting for Test task scan", queued.Message, StringComparison.Ordinal);
        Assert.Equal(RunState.Cancelled, cancelled.State);
        Assert.Equal("Cancelled before it started.", cancelled.Message);
        Assert.Equal(0, refresh.Executions);
        Assert.Equal(RunState.Success, finished.State);
    }

    [Fact]
    public async Task StartAsync_DifferentTasks_RunAtTheSameTime()
    {
        var first = new ControlledTask("first", items: 1);
        var second = new ControlledTask("second", items: 1);
        await using var engine = await EngineHost.StartAsync([first, second]);

        var firstRun = await engine.Registry.StartAsync("first", null, RunTriggers.User, CancellationToken.None);
        var secondRun = await engine.Registry.StartAsync("second", null, RunTriggers.User, CancellationToken.None);
        await Task.WhenAll(first.Started.Task, second.Started.Task).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(RunState.Running, engine.Registry.GetActiveRun("first")!.State);
        Assert.Equal(RunState.Running, engine.Registry.GetActiveRun("second")!.State);
        first.Release();
        second.Release();
        Assert.Equal(RunState.Success, (await engine.WaitForEndAsync(firstRun.Run.Id)).State);
        Assert.Equal(RunState.Success, (await engine.WaitForEndAsync(secondRun.Run.Id)).State);
    }

    [Fact]
    public async Task RunChanged_TwoSubscribers_BothSeeProgressAndEnd()
    {
        var task = new ControlledTask("watched", items: 2);
        await using var engine = await EngineHost.StartAsync([task]);
        var first = new ConcurrentQueue<RunSnapshot>();
        var second = new ConcurrentQueue<RunSnapshot>();
        engine.Registry.RunChanged += first.Enqueue;
        engine.Registry.RunChanged += second.Enqueue;

        var started = await engine.Registry.StartAsync("watched", null, RunTriggers.Schedule, CancellationToken.None);
        await task.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        task.Release();
        await WaitUntilAsync(() => first.Any(run => run.Progress.Done == 1) && second.Any(run => run.Progress.Done == 1));
        task.Release();
        await engine.WaitForEndAsync(started.Run.Id);

        foreach (var events in new[] { first, second })
        {
            Assert.Contains(events, run => run.State == RunState.Running);
            Assert.Contains(events, run => run.State == RunState.Success && run.Progress.Done == 2);
            var done = events.Select(run => run.Progress.Done).ToList();
            Assert.Equal(done.Order(), done);
        }
    }

    [Fact]
    public async Task RunChanged_SlowFirstSubscriber_SecondNeverSeesRunGoBack()
    {
        // The timer publishes progress while the run's own thread publishes its end. A first
        // subscriber that is slow on progress widens the gap in which a progress snapshot taken
        // before the end could reach the second subscriber after it.
        var task = new ControlledTask("ordered", items: 2000);
        await using var engine = await EngineHost.StartAsync([task]);
        engine.Registry.RunChanged += run =>
        {
            if (run.IsActive)
            {
                Thread.Sleep(5);
            }
        };
        var seen = new ConcurrentQueue<RunSnapshot>();
        engine.Registry.RunChanged += seen.Enqueue;

        var runIds = new List<long>();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var started = await engine.Registry.StartAsync("ordered", null, RunTriggers.Api, CancellationToken.None);
            runIds.Add(started.Run.Id);
            task.Release(task.Items);
            await engine.WaitForEndAsync(started.Run.Id);
        }

        foreach (var runId in runIds)
        {
            var events = seen.Where(run => run.Id == runId).ToList();
            var end = events.FindIndex(run => !run.IsActive);
            Assert.True(end >= 0, $"Run {runId} sent no final event.");
            Assert.All(events.Skip(end), run => Assert.False(run.IsActive, $"Run {runId} was shown as {run.State} after it ended."));
            var done = events.Select(run => run.Progress.Done).ToList();
            Assert.Equal(done.Order(), done);
        }
    }

    [Fact]
    public async Task StartAsync_UnknownOption_RejectsNamingTheField()
    {
        var task = new ControlledTask("strict");
        await using var engine = await EngineHost.StartAsync([task]);
        using var options = JsonDocument.Parse("""{"replaceMod": "all"}""");

        var exception = await Assert.ThrowsAsync<InvalidRunOptionsException>(() =>
            engine.Registry.StartAsync("strict", options.RootElement, RunTriggers.Api, CancellationToken.None));

        Assert.Equal("replaceMod", exception.Field);
        Assert.Contains("replaceMod", exception.Message, StringComparison.Ordinal);
        await using var context = engine.Database.CreateDbContext();
        Assert.Equal(0, await context.TaskRuns.CountAsync());
    }

    [Fact]
    public async Task RecoverInterruptedRunsAsync_RunLeftRunning_MarksInterrupted()
    {
        var database = await TestDatabase.CreateAsync();
        var heartbeat = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        await using (var context = database.CreateDbContext())
        {
            context.TaskRuns.Add(new TaskRun
            {
                TaskKey = "crashed",
                Trigger = RunTriggers.User,
                State = RunState.Running,
                QueuedAt = heartbeat.AddMinutes(-5),
                StartedAt = heartbeat.AddMinutes(-5),
                UpdatedAt = heartbeat,
                HeartbeatAt = heartbeat,
                Done = 40,
                Total = 100,
            });
            await context.SaveChangesAsync();
        }

        await using var engine = await EngineHost.StartAsync([new ControlledTask("crashed")], database: database);

        await using var check = database.CreateDbContext();
        var run = await check.TaskRuns.SingleAsync();
        Assert.Equal(RunState.Interrupted, run.State);
        Assert.NotNull(run.FinishedAt);
        Assert.Contains("2026-12-01 10:00:00Z", run.Summary, StringComparison.Ordinal);
        Assert.Contains("40 of 100", run.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_RunInProgress_RecordsInterrupted()
    {
        var task = new ControlledTask("shutdown", items: 5);
        var engine = await EngineHost.StartAsync([task]);
        var started = await engine.Registry.StartAsync("shutdown", null, RunTriggers.User, CancellationToken.None);
        await task.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await engine.Worker.StopAsync(CancellationToken.None);

        await using (var context = engine.Database.CreateDbContext())
        {
            var run = await context.TaskRuns.SingleAsync(stored => stored.Id == started.Run.Id);
            Assert.Equal(RunState.Interrupted, run.State);
        }

        await engine.DisposeAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not become true within 10 seconds.");
            }

            await Task.Delay(10);
        }
    }
}
