using System.Text.Json;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Scheduling;
using Booklore.Tasks.Services.Tasks;
using Booklore.Tasks.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Booklore.Tasks.Tests.Services.Scheduling;

public sealed class ScheduleRunnerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 9, 58, 0, TimeSpan.Zero);

    [Fact]
    public async Task TriggerDue_OccurrencePassed_StartsScheduledRun()
    {
        var time = new FakeTimeProvider(Start);
        var task = new ControlledTask("nightly", items: 1);
        await using var engine = await EngineHost.StartAsync([task], time);
        var (service, runner) = CreateScheduler(engine, time);
        await service.SetAsync("nightly", "0 10 * * *", enabled: true, null, timeZone: null, CancellationToken.None);

        var sleepBefore = await runner.TriggerDueAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(2));
        await runner.TriggerDueAsync(CancellationToken.None);
        var run = engine.Registry.GetActiveRun("nightly");

        Assert.Equal(TimeSpan.FromMinutes(1), sleepBefore);
        Assert.NotNull(run);
        Assert.Equal(RunTriggers.Schedule, run.Trigger);
        task.Release();
        await engine.WaitForEndAsync(run.Id);
    }

    [Fact]
    public async Task TriggerDue_TaskAlreadyRunning_RecordsSkipped()
    {
        var time = new FakeTimeProvider(Start);
        var task = new ControlledTask("busy", items: 1);
        await using var engine = await EngineHost.StartAsync([task], time);
        var (service, runner) = CreateScheduler(engine, time);
        var manual = await engine.Registry.StartAsync("busy", null, RunTriggers.User, CancellationToken.None);
        await task.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await service.SetAsync("busy", "*/5 * * * *", enabled: true, null, timeZone: null, CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(3));
        await runner.TriggerDueAsync(CancellationToken.None);

        await using var context = engine.Database.CreateDbContext();
        var skipped = await context.TaskRuns.SingleAsync(run => run.State == RunState.Skipped);
        Assert.Equal(RunTriggers.Schedule, skipped.Trigger);
        Assert.Contains($"run {manual.Run.Id} was still running", skipped.Summary, StringComparison.Ordinal);
        Assert.Equal(1, task.Executions);
        task.Release();
        await engine.WaitForEndAsync(manual.Run.Id);
    }

    [Fact]
    public async Task TriggerDue_Disabled_StartsNothing()
    {
        var time = new FakeTimeProvider(Start);
        var task = new ControlledTask("off", items: 1);
        await using var engine = await EngineHost.StartAsync([task], time);
        var (service, runner) = CreateScheduler(engine, time);
        await service.SetAsync("off", "* * * * *", enabled: false, null, timeZone: null, CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(5));
        await runner.TriggerDueAsync(CancellationToken.None);

        Assert.Null(engine.Registry.GetActiveRun("off"));
    }

    [Theory]
    [InlineData("daily", "0 3 * * *")]
    [InlineData("weekly", "0 3 * * 0")]
    [InlineData(" 15  4 * * 1-5 ", "15 4 * * 1-5")]
    public async Task SetAsync_PresetOrExpression_StoresCronAndNextRun(string input, string cron)
    {
        var time = new FakeTimeProvider(Start);
        await using var engine = await EngineHost.StartAsync([new ControlledTask("planned")], time);
        var (service, _) = CreateScheduler(engine, time);

        var schedule = await service.SetAsync("planned", input, enabled: true, null, timeZone: null, CancellationToken.None);

        Assert.Equal(cron, schedule.Cron);
        Assert.NotNull(schedule.NextRunAt);
        Assert.True(schedule.NextRunAt > Start);
        Assert.Equal("UTC", schedule.TimeZone);
    }

    [Theory]
    [InlineData("every day")]
    [InlineData("0 3 * *")]
    [InlineData("61 * * * *")]
    [InlineData("0 3 31 2 *")]
    [InlineData("0 0 30 2 *")]
    public async Task SetAsync_InvalidCron_RejectsNamingCron(string cron)
    {
        var time = new FakeTimeProvider(Start);
        await using var engine = await EngineHost.StartAsync([new ControlledTask("planned")], time);
        var (service, _) = CreateScheduler(engine, time);

        var exception = await Assert.ThrowsAsync<InvalidRunOptionsException>(() =>
            service.SetAsync("planned", cron, enabled: true, null, timeZone: null, CancellationToken.None));

        Assert.Equal("cron", exception.Field);
        Assert.Contains(cron.Trim(), exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mars/Olympus", "is not a known time zone")]
    [InlineData("", "is not a known time zone")]
    [InlineData("Europe/Berlin", "Booklore__Tasks__TimeZone=Europe/Berlin")]
    public async Task SetAsync_TimeZoneNotTheServers_RejectsNamingTimeZone(string timeZone, string fix)
    {
        var time = new FakeTimeProvider(Start);
        await using var engine = await EngineHost.StartAsync([new ControlledTask("planned")], time);
        var (service, _) = CreateScheduler(engine, time);

        var exception = await Assert.ThrowsAsync<InvalidRunOptionsException>(() =>
            service.SetAsync("planned", "daily", enabled: true, null, timeZone, CancellationToken.None));

        Assert.Equal("timeZone", exception.Field);
        Assert.Contains($"'{timeZone}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains(fix, exception.Message, StringComparison.Ordinal);
        await using var context = engine.Database.CreateDbContext();
        Assert.Equal(0, await context.TaskSchedules.CountAsync());
    }

    [Fact]
    public async Task SetAsync_ServersTimeZoneNamed_Saves()
    {
        var time = new FakeTimeProvider(Start);
        await using var engine = await EngineHost.StartAsync([new ControlledTask("planned")], time);
        var (service, _) = CreateScheduler(engine, time);

        var schedule = await service.SetAsync("planned", "daily", enabled: true, null, "Etc/UTC", CancellationToken.None);

        Assert.Equal(new DateTimeOffset(2026, 12, 5, 3, 0, 0, TimeSpan.Zero), schedule.NextRunAt);
    }

    [Fact]
    public void TaskEngineOptions_UnknownTimeZone_FailsValidationNamingSetting()
    {
        var options = new TaskEngineOptions { TimeZone = "Mars/Olympus" };

        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
            options, new System.ComponentModel.DataAnnotations.ValidationContext(options), results, validateAllProperties: true);

        Assert.False(valid);
        var message = Assert.Single(results).ErrorMessage;
        Assert.Contains("Booklore__Tasks__TimeZone", message, StringComparison.Ordinal);
        Assert.Contains("'Mars/Olympus'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetAsync_InvalidOptions_RejectsBeforeSaving()
    {
        var time = new FakeTimeProvider(Start);
        await using var engine = await EngineHost.StartAsync([new ControlledTask("planned")], time);
        var (service, _) = CreateScheduler(engine, time);
        using var options = JsonDocument.Parse("""{"unknown": 1}""");

        await Assert.ThrowsAsync<InvalidRunOptionsException>(() =>
            service.SetAsync("planned", "daily", enabled: true, options.RootElement, timeZone: null, CancellationToken.None));

        await using var context = engine.Database.CreateDbContext();
        Assert.Equal(0, await context.TaskSchedules.CountAsync());
    }

    private static (ScheduleService Service, ScheduleRunner Runner) CreateScheduler(EngineHost engine, TimeProvider time)
    {
        var options = Options.Create(new TaskEngineOptions { TimeZone = "UTC" });
        var service = new ScheduleService(engine.Database, engine.Registry, time, options);
        var runner = new ScheduleRunner(engine.Database, service, engine.Registry, time, NullLogger<ScheduleRunner>.Instance);
        return (service, runner);
    }
}
