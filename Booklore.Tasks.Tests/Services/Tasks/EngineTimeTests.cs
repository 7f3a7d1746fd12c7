using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Tasks;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Booklore.Tasks.Tests.Services.Tasks;

/// <summary>Stale detection, estimates and retention, with time under the test's control.</summary>
public sealed class EngineTimeTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Snapshot_NoProgressPastThreshold_IsStaleWithReason()
    {
        var time = new FakeTimeProvider(Start);
        var task = new ControlledTask("stuck", items: 5);
        await using var engine = await EngineHost.StartAsync([task], time, new TaskEngineOptions { StaleAfter = TimeSpan.FromMinutes(2) });
        await engine.Registry.StartAsync("stuck", null, RunTriggers.User, CancellationToken.None);
        await task.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        time.Advance(TimeSpan.FromSeconds(119));
        var fresh = engine.Registry.GetActiveRun("stuck")!;
        time.Advance(TimeSpan.FromSeconds(2));
        var stale = engine.Registry.GetActiveRun("stuck")!;
        task.Release();
        await WaitForDoneAsync(engine, 1);
        var moving = engine.Registry.GetActiveRun("stuck")!;

        Assert.Null(fresh.Stale);
        Assert.NotNull(stale.Stale);
        Assert.Equal("No progress for 2 minutes.", stale.Stale.Reason);
        Assert.Equal(Start, stale.Stale.LastProgressAt);
        Assert.Null(moving.Stale);
        await engine.Registry.CancelAsync(moving.Id, CancellationToken.None);
    }

    [Fact]
    public async Task Snapshot_ShortThresholdPassed_ReasonInSecondsWithMessage()
    {
        var time = new FakeTimeProvider(Start);
        var task = new ControlledTask("quiet", items: 2);
        // A long heartbeat interval keeps the heartbeat reason out of this test.
        var options = new TaskEngineOptions { StaleAfter = TimeSpan.FromSeconds(10), HeartbeatInterval = TimeSpan.FromMinutes(5) };
        await using var engine = await EngineHost.StartAsync([task], time, options);
        await engine.Registry.StartAsync("quiet", null, RunTriggers.User, CancellationToken.None);
        await task.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        time.Advance(TimeSpan.FromSeconds(9));
        var fresh = engine.Registry.GetActiveRun("quiet")!;
        time.Advance(TimeSpan.FromSeconds(36));
        var stale = engine.Registry.GetActiveRun("quiet")!;

        Assert.Null(fresh.Stale);
        Assert.NotNull(stale.Stale);
        Assert.Equal("No progress for 45 seconds.", stale.Stale.Reason);
        Assert.Equal("Starting.", stale.Stale.LastMessage);
        Assert.Equal(Start, stale.Stale.LastProgressAt);
        await engine.Registry.CancelAsync(stale.Id, CancellationToken.None);
    }

    [Fact]
    public async Task Snapshot_HeartbeatRunsDuringLongItem_NotStaleFromHeartbeat()
    {
        var time = new FakeTimeProvider(Start);
        var task = new ControlledTask("long-item", items: 1);
        var options = new TaskEngineOptions { StaleAfter = TimeSpan.FromHours(1), HeartbeatInterval = TimeSpan.FromSeconds(5) };
        await using var engine = await EngineHost.StartAsync([task], time, options);
        await engine.Registry.StartAsync("long-item", null, RunTriggers.User, CancellationToken.None);
        await task.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        for (var step = 0; step < 24; step++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(5);
        }

        var run = engine.Registry.GetActiveRun("long-item")!;
        Assert.Null(run.Stale);
        Assert.True(run.HeartbeatAt >= Start.AddSeconds(100), $"Last heartbeat {run.HeartbeatAt:O}.");
        await engine.Registry.CancelAsync(run.Id, CancellationToken.None);
    }

    [Fact]
    public async Task Snapshot_HalfDoneAfterTenSeconds_EstimatesTenMore()
    {
        var time = new FakeTimeProvider(Start);
        var task = new ControlledTask("timed", items: 4);
        await using var engine = await EngineHost.StartAsync([task], time);
        await engine.Registry.StartAsync("timed", null, RunTriggers.User, CancellationToken.None);
        await task.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        time.Advance(TimeSpan.FromSeconds(10));
        task.Release(2);
        await WaitForDoneAsync(engine, 2);
        var run = engine.Registry.GetActiveRun("timed")!;

        Assert.Equal(50, run.Progress.Percent);
        Assert.Equal(0.2, run.Progress.RatePerSecond!.Value, precision: 3);
        Assert.Equal(10, run.Progress.EtaSeconds!.Value, precision: 3);
        await engine.Registry.CancelAsync(run.Id, CancellationToken.None);
    }

    [Fact]
    public async Task PruneHistory_PastCountAndAge_DeletesOldestRunsWithIssues()
    {
        var time = new FakeTimeProvider(Start);
        var task = new ControlledTask("kept", items: 0);
        var options = new TaskEngineOptions { HistoryMaxRunsPerTask = 3, HistoryMaxAge = TimeSpan.FromDays(30) };
        await using var engine = await EngineHost.StartAsync([task], time, options);
        await using (var context = engine.Database.CreateDbContext())
        {
            for (var day = 0; day < 6; day++)
            {
                var at = Start.AddDays(-40 + (day * 5));
                context.TaskRuns.Add(new TaskRun
                {
                    TaskKey = "kept",
                    Trigger = RunTriggers.User,
                    State = RunState.Success,
                    QueuedAt = at,
                    UpdatedAt = at,
                    FinishedAt = at,
                    Issues = [new TaskRunIssue { Message = $"issue of day {day}" }],
                });
            }

            await context.SaveChangesAsync();
        }

        var deleted = await engine.Registry.PruneHistoryAsync("kept", CancellationToken.None);

        Assert.Equal(3, deleted);
        await using var check = engine.Database.CreateDbContext();
        var left = await check.TaskRuns.OrderBy(run => run.Id).Select(run => run.FinishedAt).ToListAsync();
        Assert.Equal([Start.AddDays(-25), Start.AddDays(-20), Start.AddDays(-15)], left);
        Assert.Equal(3, await check.TaskRunIssues.CountAsync());
    }

    private static async Task WaitForDoneAsync(EngineHost engine, long done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (engine.Registry.GetActiveRuns().All(run => run.Progress.Done < done))
        {
            Assert.True(DateTime.UtcNow < deadline, $"No run reached {done} items within 10 seconds.");
            await Task.Delay(5);
        }
    }
}
