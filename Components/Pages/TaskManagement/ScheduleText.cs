using System.Globalization;
using Booklore.Tasks.Services.Scheduling;

namespace Booklore.Tasks.Components.Pages.TaskManagement;

/// <summary>Plain-language descriptions of cron schedules for the task cards.</summary>
internal static class ScheduleText
{
    /// <summary>The preset select's value for an expression that matches no preset.</summary>
    public const string CustomKey = "custom";

    /// <summary>The presets in the order the select lists them, with their labels.</summary>
    public static IReadOnlyList<(string Key, string Label)> PresetChoices { get; } =
    [
        ("hourly", "Hourly"),
        ("daily", "Daily"),
        ("weekly", "Weekly"),
        ("monthly", "Monthly"),
    ];

    /// <summary>Returns the key of the preset whose expression is <paramref name="cron"/>, or <see cref="CustomKey"/>.</summary>
    public static string PresetKey(string? cron)
    {
        var normalized = string.Join(' ', (cron ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return ScheduleService.Presets.FirstOrDefault(preset => preset.Value == normalized).Key ?? CustomKey;
    }

    /// <summary>
    /// Describes an expression such as "0 3 * * 0" as "Every Sunday at 03:00". Returns null for
    /// expressions with ranges, lists or steps, which the page shows as the expression alone.
    /// </summary>
    public static string? Describe(string cron)
    {
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5 || !TryNumber(fields[0], 59, out var minute) || fields[3] != "*")
        {
            return null;
        }

        if (fields[1] == "*")
        {
            return fields[2] == "*" && fields[4] == "*"
                ? minute == 0 ? "Every hour, on the hour" : $"Every hour at minute {minute}"
                : null;
        }

        if (!TryNumber(fields[1], 23, out var hour))
        {
            return null;
        }

        var time = string.Create(CultureInfo.InvariantCulture, $"{hour:00}:{minute:00}");
        return (fields[2], fields[4]) switch
        {
            ("*", "*") => $"Every day at {time}",
            ("*", var day) when TryNumber(day, 7, out var weekday) =>
                $"Every {CultureInfo.InvariantCulture.DateTimeFormat.GetDayName((DayOfWeek)(weekday % 7))} at {time}",
            (var day, "*") when TryNumber(day, 31, out var dayOfMonth) && dayOfMonth > 0 =>
                $"On day {dayOfMonth} of every month at {time}",
            _ => null,
        };
    }

    private static bool TryNumber(string field, int max, out int value) =>
        int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;
}
