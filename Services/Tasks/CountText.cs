using System.Globalization;

namespace Booklore.Tasks.Services.Tasks;

/// <summary>Counts written for run summaries, with the noun in the singular for one.</summary>
internal static class CountText
{
    /// <summary>Formats "1 book" or "1,234 books". The noun must take a plain "s" in the plural.</summary>
    public static string Format(long count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count:N0} {noun}{(count == 1 ? "" : "s")}");
}
