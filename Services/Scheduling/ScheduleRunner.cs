using System.Text.Json;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Services.Scheduling;

/// <summary>
/// Starts scheduled runs when they are due. A due start that finds the task running is recorded
/// as a Skipped run. An occurrence missed while the server was down runs once at the next start.
/// </summary>
public sealed partial class ScheduleRunner(
    IDbContextFactory<BookloreDbContext> contextFactory,
    ScheduleService schedules,
    TaskRegistry registry,
    TimeProvider time,
    ILogger<ScheduleRunner> logger) : BackgroundService
{
    // Wake at least this often, so a change of the system clock is noticed.
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var changed = new SemaphoreSlim(0);
        void OnChanged() => changed.Release();
        schedules.Changed += OnChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var sleep = await TriggerDueAsync(stoppingToken);
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var delay = Task.Delay(sleep, time, wake.Token);
                await Task.WhenAny(delay, changed.WaitAsync(wake.Token));
                await wake.CancelAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            schedules.Changed -= OnChanged;
            changed.Dispose();
        }
    }

    /// <summary>Starts every due schedule and returns how long to sleep until the next one.</summary>
    internal async Task<TimeSpan> TriggerDueAsync(CancellationToken cancellationToken)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var enabled = await context.TaskSchedules.Where(schedule => schedule.Enabled).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var sleep = MaxSleep;
        foreach (var schedule in enabled)
        {
            var next = schedules.GetNextOccurrence(schedule, schedule.LastTriggeredAt ?? schedule.UpdatedAt);
            if (next is null)
            {
                continue;
            }

            if (next <= now)
            {
                schedule.LastTriggeredAt = now;
                await context.SaveChangesAsync(cancellationToken);
                await TriggerAsync(schedule, cancellationToken);
                next = schedules.GetNextOccurrence(schedule, now);
            }

            if (next is { } upcoming && upcoming - now < sleep)
            {
                sleep = upcoming - now;
            }
        }

        return sleep < TimeSpan.Zero ? TimeSpan.Zero : sleep;
    }

    private async Task TriggerAsync(TaskSchedule schedule, CancellationToken cancellationToken)
    {
        using var options = JsonDocument.Parse(schedule.OptionsJson);
        try
        {
            var result = await registry.StartAsync(schedule.TaskKey, options.RootElement, RunTriggers.Schedule, cancellationToken);
            if (result.AlreadyRunning)
            {
                await registry.RecordSkippedAsync(schedule.TaskKey, options.RootElement, RunTriggers.Schedule, result.Run.Id, cancellationToken);
                LogSkipped(schedule.TaskKey, result.Run.Id);
            }
        }
        catch (Exception exception) when (exception is InvalidRunOptionsException or KeyNotFoundException)
        {
            LogScheduleInvalid(exception, schedule.TaskKey);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled start of {TaskKey} skipped: run {RunId} is still running")]
    private partial void LogSkipped(string taskKey, long runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The schedule of {TaskKey} could not start a run; edit or remove it")]
    private partial void LogScheduleInvalid(Exception exception, string taskKey);
}
