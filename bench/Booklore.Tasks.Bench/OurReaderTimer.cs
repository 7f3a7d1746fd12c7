using System.Diagnostics;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Bench;

/// <summary>Median seconds per format to read every file, sequentially and with two threads.</summary>
internal sealed record OurTimings(double SequentialSeconds, double ParallelSeconds, int Failures);

internal static class OurReaderTimer
{
    private static readonly BookFileReader Reader = new();

    public static Dictionary<string, OurTimings> Measure(IReadOnlyDictionary<string, List<string>> files, int rounds)
    {
        var timings = new Dictionary<string, OurTimings>(StringComparer.Ordinal);
        foreach (var (format, paths) in files)
        {
            // The first pass warms the disk cache and compiles the readers.
            var failures = ReadSequentially(paths);
            var sequential = Median(rounds, () => Time(() => ReadSequentially(paths)));
            var parallel = Median(rounds, () => Time(() => ReadInParallel(paths, maxDegree: 2)));
            timings[format] = new OurTimings(sequential, parallel, failures);
        }

        return timings;
    }

    private static int ReadSequentially(List<string> paths)
    {
        var failures = 0;
        foreach (var path in paths)
        {
            failures += Reader.Read(path, CancellationToken.None).Succeeded ? 0 : 1;
        }

        return failures;
    }

    private static void ReadInParallel(List<string> paths, int maxDegree)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegree };
        Parallel.ForEach(paths, options, path => Reader.Read(path, CancellationToken.None));
    }

    private static double Time(Action action)
    {
        var stopwatch = Stopwatch.StartNew();
        action();
        return stopwatch.Elapsed.TotalSeconds;
    }

    private static double Median(int rounds, Func<double> measure)
    {
        var samples = Enumerable.Range(0, rounds).Select(_ => measure()).Order().ToList();
        return samples[samples.Count / 2];
    }
}
