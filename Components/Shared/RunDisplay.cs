using System.Globalization;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Tasks;
using MudBlazor;

namespace Booklore.Tasks.Components.Shared;

/// <summary>Words, icons and formats shared by the task cards, the history tables and the run page.</summary>
internal static class RunDisplay
{
    /// <summary>Returns the badge text of a run; Stale replaces In Progress when the server marked the run stale.</summary>
    public static string StatusLabel(RunSnapshot? run) => run switch
    {
        null => "Never run",
        { State: RunState.Running, Stale: not null } => "Stale",
        { State: RunState.Running } => "In Progress",
        { State: RunState.Skipped } => "Skipped",
        _ => run.State.ToString(),
    };

    /// <summary>Returns the CSS modifier that colours the badge; the label carries the meaning on its own.</summary>
    public static string StatusClass(RunSnapshot? run) => run switch
    {
        null => "never",
        { State: RunState.Running, Stale: not null } => "stale",
        _ => run.State.ToString().ToLowerInvariant(),
    };

    public static string TaskIcon(string taskKey) => taskKey switch
    {
        TaskKeys.ClearCbxCache => Icons.Material.Filled.PhotoLibrary,
        TaskKeys.ClearPdfCache => Icons.Material.Filled.PictureAsPdf,
        TaskKeys.RefreshMetadata => Icons.Material.Filled.Sync,
        TaskKeys.ScanLibrary => Icons.Material.Filled.ManageSearch,
        _ => Icons.Material.Filled.Build,
    };

    public static string TriggerLabel(string trigger) => trigger switch
    {
        RunTriggers.User => "Started by hand",
        RunTriggers.Api => "API",
        RunTriggers.Schedule => "Schedule",
        RunTriggers.Startup => "Server start-up",
        _ => trigger,
    };

    /// <summary>Formats a duration with its two largest units, such as "1 h 5 min" or "42 s".</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        return duration.TotalSeconds switch
        {
            < 10 => string.Create(CultureInfo.CurrentCulture, $"{duration.TotalSeconds:0.#} s"),
            < 60 => string.Create(CultureInfo.CurrentCulture, $"{(int)duration.TotalSeconds} s"),
            < 3600 => string.Create(CultureInfo.CurrentCulture, $"{(int)duration.TotalMinutes} min {duration.Seconds} s"),
            < 86400 => string.Create(CultureInfo.CurrentCulture, $"{(int)duration.TotalHours} h {duration.Minutes} min"),
            _ => string.Create(CultureInfo.CurrentCulture, $"{(int)duration.TotalDays} d {duration.Hours} h"),
        };
    }

    /// <summary>
    /// Formats an exact time in the server's time zone.
    /// NOTE: a Blazor Server component renders on the server, so a browser in another time zone is shown server time.
    /// </summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.ToLocalTime().ToString("g", CultureInfo.CurrentCulture);

    public static string FormatBytes(long bytes) => RunSummaries.FormatBytes(bytes);
}
