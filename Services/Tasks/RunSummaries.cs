using System.Globalization;
using Booklore.Tasks.Data;

namespace Booklore.Tasks.Services.Tasks;

/// <summary>Writes the one-sentence outcome shown on a finished run.</summary>
public static class RunSummaries
{
    /// <param name="run">The run just before it reaches its final state; its summary is what the task reported.</param>
    internal static string Describe(RunSnapshot run, RunState outcome, string? failure)
    {
        var taskSummary = run.Summary is { Length: > 0 } text ? text : DescribeCounters(run);
        var done = string.Create(CultureInfo.InvariantCulture, $"{run.Progress.Done:N0} of {run.Progress.Total:N0} items");
        var problems = DescribeProblems(run);
        return outcome switch
        {
            RunState.Success => taskSummary,
            RunState.Warning => Join(taskSummary, problems),
            RunState.Cancelled => Join($"Cancelled after {done}.", DescribeCutShort(run)),
            RunState.Interrupted => Join($"Interrupted by a server shutdown after {done}.", DescribeCutShort(run)),
            RunState.Error => Join($"Failed: {failure}", $"{done} were done before the failure."),
            _ => taskSummary,
        };
    }

    public static string FormatBytes(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }

    private static string DescribeCounters(RunSnapshot run)
    {
        var counters = run.Counters;
        return counters.FilesDeleted > 0 || counters.BytesFreed > 0
            ? string.Create(CultureInfo.InvariantCulture, $"Deleted {counters.FilesDeleted:N0} files and freed {FormatBytes(counters.BytesFreed)}.")
            : string.Create(CultureInfo.InvariantCulture, $"Processed {counters.Processed:N0} items.");
    }

    /// <summary>
    /// Describes a run that stopped early. The sentence before it already gives the count done, so
    /// without a task summary this lists what came of those items instead of repeating the count.
    /// </summary>
    private static string DescribeCutShort(RunSnapshot run)
    {
        if (run.Summary is { Length: > 0 } text)
        {
            return text;
        }

        var counters = run.Counters;
        if (counters.FilesDeleted > 0 || counters.BytesFreed > 0)
        {
            return DescribeCounters(run);
        }

        return counters.Changed + counters.Unchanged + counters.Failed == 0
            ? ""
            : string.Create(
                CultureInfo.InvariantCulture,
                $"Of those, {counters.Changed:N0} were changed, {counters.Unchanged:N0} were unchanged and {counters.Failed:N0} failed.");
    }

    private static string DescribeProblems(RunSnapshot run)
    {
        var parts = new List<string>();
        if (run.WarningCount > 0)
        {
            parts.Add(CountText.Format(run.WarningCount, "warning"));
        }

        if (run.ErrorCount > 0)
        {
            parts.Add(CountText.Format(run.ErrorCount, "error"));
        }

        return parts.Count == 0 ? "" : $"Finished with {string.Join(" and ", parts)}; see the run's page.";
    }

    private static string Join(string first, string second) =>
        string.IsNullOrEmpty(second) ? first : $"{first} {second}";
}
