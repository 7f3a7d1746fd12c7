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
    /// when the cron expression, the time zone or the options are invalid, and <see cref="KeyNotFoundException"/>
    /// for an unknown task. <paramref name="timeZone"/>, when not null, must be the zone schedules run in.
    /// </summary>
    public async Task<ScheduleInfo> SetAsync(
        string taskKey,
        string cron,
        bool enabled,
        JsonElement? runOptions,
        string? timeZone,
        CancellationToken cancellationToken)
    {
        var task = registry.FindTask(taskKey) ?? throw new KeyNotFoundException($"There is no task with the key '{taskKey}'.");
        var expression = NormalizeCron(cron);
        var parsed = ParseCron(expression);
        if (parsed.GetNextOccurrence(time.GetUtcNow(), TimeZone) is null)
        {
            throw new InvalidRunOptionsException(
                "cron",
                $"'{expression}' never occurs (no such date, such as 31 February); choose a day of the month that every chosen month has, such as \"0 3 1 * *\".");
        }

        CheckTimeZone(timeZone);
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

    /// <summary>Finds a time zone by IANA (or Windows) id; null when there is none.</summary>
    public static TimeZoneInfo? FindTimeZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone : null;

    private static TimeZoneInfo ResolveTimeZone(string? id) =>
        string.IsNullOrWhiteSpace(id)
            ? TimeZoneInfo.Local
            : FindTimeZone(id) ?? throw new InvalidOperationException(TaskEngineOptions.UnknownTimeZoneMessage(id));

    /// <summary>
    /// Schedules run in one zone, set for the server; a request that names another is rejected
    /// rather than saved in a zone the caller did not mean.
    /// </summary>
    private void CheckTimeZone(string? timeZone)
    {
        if (timeZone is null)
        {
            return;
        }

        var zone = FindTimeZone(timeZone) ?? throw new InvalidRunOptionsException(
            "timeZone",
            $"'{timeZone}' is not a known time zone; use an IANA id such as \"Europe/Berlin\", or leave timeZone out to use the server's ({TimeZone.Id}).");
        if (zone.Id != TimeZone.Id && !zone.HasSameRules(TimeZone))
        {
            throw new InvalidRunOptionsException(
                "timeZone",
                $"Schedules run in the server's time zone, {TimeZone.Id}, not '{timeZone}'; leave timeZone out, "
                + $"or set Booklore__Tasks__TimeZone={zone.Id} and restart the server.");
        }
    }
}
