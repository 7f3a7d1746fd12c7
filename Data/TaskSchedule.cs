namespace Booklore.Tasks.Data;

/// <summary>A cron schedule for one task, with the options its scheduled runs use.</summary>
public sealed class TaskSchedule
{
    public required string TaskKey { get; set; }

    /// <summary>A standard 5-field cron expression (minute hour day-of-month month day-of-week).</summary>
    public required string CronExpression { get; set; }
    public bool Enabled { get; set; } = true;
    public string OptionsJson { get; set; } = "{}";
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The last time the scheduler started (or skipped) a run, so a restart does not start it twice.</summary>
    public DateTimeOffset? LastTriggeredAt { get; set; }
}
