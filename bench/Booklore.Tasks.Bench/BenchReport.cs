using System.Globalization;

namespace Booklore.Tasks.Bench;

/// <summary>Prints books per second and the ours/calibre speed ratios as a Markdown table.</summary>
internal static class BenchReport
{
    public static void Print(
        IReadOnlyDictionary<string, List<string>> files,
        IReadOnlyDictionary<string, OurTimings> ours,
        IReadOnlyDictionary<string, double> calibre)
    {
        Console.WriteLine();
        Console.WriteLine("| format | files | failed reads | ours, 1 core (books/s) | ours, 2 cores (books/s) | calibre (books/s) | ratio, 1 core | ratio, 2 cores |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (format, paths) in files)
        {
            var timing = ours[format];
            PrintRow(format, paths.Count, timing, calibre.GetValueOrDefault(format));
            if (calibre.TryGetValue($"{format}-quick", out var quickSeconds))
            {
                PrintRow($"{format} (calibre without cover)", paths.Count, timing, quickSeconds);
            }
        }

        // The whole library: each side's seconds summed over the formats.
        var total = new OurTimings(
            ours.Values.Sum(timing => timing.SequentialSeconds),
            ours.Values.Sum(timing => timing.ParallelSeconds),
            ours.Values.Sum(timing => timing.Failures));
        var count = files.Values.Sum(paths => paths.Count);
        if (files.Keys.All(calibre.ContainsKey))
        {
            PrintRow("all", count, total, files.Keys.Sum(format => calibre[format]));
        }

        if (files.Keys.All(format => calibre.ContainsKey($"{format}-quick")))
        {
            PrintRow("all (calibre without cover)", count, total, files.Keys.Sum(format => calibre[$"{format}-quick"]));
        }
    }

    private static void PrintRow(string label, int count, OurTimings timing, double calibreSeconds)
    {
        var sequential = count / timing.SequentialSeconds;
        var parallel = count / timing.ParallelSeconds;
        var calibre = calibreSeconds > 0 ? count / calibreSeconds : double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {count} | {timing.Failures} | {sequential:F0} | {parallel:F0} | {Number(calibre)} | {Ratio(sequential, calibre)} | {Ratio(parallel, calibre)} |"));
    }

    private static string Number(double value) =>
        double.IsNaN(value) ? "-" : value.ToString(value < 10 ? "F1" : "F0", CultureInfo.InvariantCulture);

    private static string Ratio(double ours, double calibre) =>
        double.IsNaN(calibre) ? "-" : (ours / calibre).ToString("F1", CultureInfo.InvariantCulture) + "x";
}
