using System.ComponentModel.DataAnnotations;

namespace Booklore.Tasks.Services.Tasks;

/// <summary>Settings of the task engine, section "Booklore:Tasks".</summary>
public sealed class TaskEngineOptions : IValidatableObject
{
    public const string SectionName = "Booklore:Tasks";

    /// <summary>A running task that made no progress for this long is shown as stale.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a running task's heartbeat and progress are written to the database.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Shortest time between two progress events of one run; state changes are always sent at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05")]
    public TimeSpan ProgressEventInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Heartbeats missed in a row before a running task is shown as stale.</summary>
    [Range(2, 100)]
    public int MissedHeartbeatsForStale { get; set; } = 6;

    public TimeSpan HeartbeatTimeout => HeartbeatInterval * MissedHeartbeatsForStale;

    /// <summary>Time zone of cron schedules, as an IANA id such as "Europe/Berlin"; empty means the server's.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Finished runs kept per task; older ones are deleted with their issues and changes.</summary>
    [Range(1, 100_000)]
    public int HistoryMaxRunsPerTask { get; set; } = 500;

    /// <summary>Finished runs older than this are deleted.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan HistoryMaxAge { get; set; } = TimeSpan.FromDays(180);

    /// <summary>The start-up error for a <see cref="TimeZone"/> that names no known zone.</summary>
    public static string UnknownTimeZoneMessage(string id) =>
        $"Booklore:Tasks:TimeZone (Booklore__Tasks__TimeZone) is '{id}', which is not a known time zone; "
        + "use an IANA id such as \"Europe/Berlin\", or leave it empty for the server's zone.";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone.Trim(), out _))
        {
            yield return new ValidationResult(UnknownTimeZoneMessage(TimeZone), [nameof(TimeZone)]);
        }
    }
}
