using System.Text.Json;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Tasks;
using Cronos;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Booklore.Tasks.Services.Scheduling;

/// <summary>A task's schedule as pages and the API show it, with its next run time.</summary>
public sealed record ScheduleInfo(
    string TaskKey,
    string Cron,
    bool Enabled,
    object Options,
    DateTimeOffset? NextRunAt,
    string TimeZone);

/// <summary>Stores, validates and describes the cron schedules of tasks.</summary>
public sealed class ScheduleService(
    IDbContextFactory<BookloreDbContext> contextFactory,
    TaskRegistry registry,
    TimeProvider time,
    IOptions<TaskEngineOptions> options)
{
    /// <summary>Named presets accepted in place of a cron expression.</summary>
    public static IReadOnlyDictionary<string, string> Presets { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["hourly"] = "0 * * * *",
        ["daily"] = "0 3 * * *",
        ["weekly"] = "0 3 * * 0",
        ["monthly"] = "0 3 1 * *",
    };

    /// <summary>Raised after a schedule is saved or removed, so the scheduler recomputes its next wake-up.</summary>
    public event Action? Changed;

    public TimeZoneInfo TimeZone { get; } = ResolveTimeZone(options.Value.TimeZone);

    public async Task<IReadOnlyDictionary<string, ScheduleInfo>> GetAllAsync(CancellationToken cancellationToken)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var schedules = await context.TaskSchedules.AsNoTracking().ToListAsync(cancellationToken);
        return schedules.Where(schedule => registry.FindTask(schedule.TaskKey) is not null)
            .ToDictionary(schedule => schedule.TaskKey, Describe, StringComparer.Ordinal);
    }

    /// <summary>
    /// Saves the schedule of a task. Throws <see cref="InvalidRunOptionsException"/> naming the field
    /// when the cron expression or the options are invalid, and <see cref="KeyNotFoundException"/> for an unknown task.
    /// </summary>
    public async Task<ScheduleInfo> SetAsync(
        string taskKey,
        string cron,
        bool enabled,
        JsonElement? runOptions,
        CancellationToken cancellationToken)
    {
        var task = registry.FindTask(taskKey) ?? throw new KeyNotFoundException($"There is no task with the key '{taskKey}'.");
        var expression = NormalizeCron(cron);
        ParseCron(expression);
        var parsedOptions = task.ParseOptions(runOptions);

        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var schedule = await context.TaskSchedules.SingleOrDefaultAsync(stored => stored.TaskKey == taskKey, cancellationToken);
        if (schedule is null)
        {
            schedule = new TaskSchedule { TaskKey = taskKey, CronExpression = expression };
            context.TaskSchedules.Add(schedule);
        }

        var now = time.GetUtcNow();
        schedule.CronExpression = expression;
        schedule.Enabled = enabled;
        schedule.OptionsJson = JsonSerializer.Serialize(parsedOptions, parsedOptions.GetType(), RunJson.Options);
        schedule.UpdatedAt = now;
        schedule.LastTriggeredAt = now;
        await context.SaveChangesAsync(cancellationToken);
        Changed?.Invoke();
        return Describe(schedule);
    }

    /// <summary>Removes a task's schedule; returns false when it had none.</summary>
    public async Task<bool> RemoveAsync(string taskKey, CancellationToken cancellationToken)
    {
        await using var context = await contextFactory.CreateDbContextAsync(cancellationToken);
        var removed = await context.TaskSchedules.Where(schedule => schedule.TaskKey == taskKey).ExecuteDeleteAsync(cancellationToken);
        Changed?.Invoke();
        return removed > 0;
    }

    /// <summary>The first occurrence of the schedule after <paramref name="after"/>, or null when disabled.</summary>
    public DateTimeOffset? GetNextOccurrence(TaskSchedule schedule, DateTimeOffset after) =>
        schedule.Enabled ? ParseCron(schedule.CronExpression).GetNextOccurrence(after, TimeZone) : null;

    private ScheduleInfo Describe(TaskSchedule schedule)
    {
        var task = registry.FindTask(schedule.TaskKey);
        using var document = JsonDocument.Parse(schedule.OptionsJson);
        object parsedOptions = task is null ? document.RootElement.Clone() : task.ParseOptions(document.RootElement.Clone());
        var after = schedule.LastTriggeredAt is { } last && last > time.GetUtcNow() ? last : time.GetUtcNow();
        return new ScheduleInfo(
            schedule.TaskKey,
            schedule.CronExpression,
            schedule.Enabled,
            parsedOptions,
            GetNextOccurrence(schedule, after),
            TimeZone.Id);
    }

    private static string NormalizeCron(string cron)
    {
        var trimmed = cron.Trim();
        return Presets.TryGetValue(trimmed, out var preset) ? preset : string.Join(' ', trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static CronExpression ParseCron(string expression)
    {
        try
        {
            return CronExpression.Parse(expression, CronFormat.Standard);
        }
        catch (CronFormatException exception)
        {
            throw new InvalidRunOptionsException(
                "cron",
                $"'{expression}' is not a valid 5-field cron expression (minute hour day-of-month month day-of-week), such as \"0 3 * * *\"; "
                + $"or use a preset: {string.Join(", ", Presets.Keys)}. {exception.Message}");
        }
    }

    private static TimeZoneInfo ResolveTimeZone(string? id) =>
        string.IsNullOrWhiteSpace(id) ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(id);
}
