using System.Diagnostics;
using System.Text.Json;

namespace Booklore.Tasks.Bench;

/// <summary>Runs calibre_bench.py with calibre's interpreter and returns its seconds per format.</summary>
internal static class CalibreTimer
{
    public static async Task<Dictionary<string, double>> MeasureAsync(IReadOnlyDictionary<string, List<string>> files, string script)
    {
        var listFile = Path.GetTempFileName();
        try
        {
            var lines = files.SelectMany(group => group.Value.Select(path => $"{group.Key}\t{path}"));
            await File.WriteAllLinesAsync(listFile, lines);
            return await RunAsync(script, listFile);
        }
        finally
        {
            File.Delete(listFile);
        }
    }

    private static async Task<Dictionary<string, double>> RunAsync(string script, string listFile)
    {
        var start = new ProcessStartInfo("calibre-debug")
        {
            ArgumentList = { "-e", script, "--", listFile },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("calibre-debug did not start; install calibre (Debian: apt-get install calibre)");
        var errorTask = process.StandardError.ReadToEndAsync();
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            using var json = JsonDocument.Parse(line);
            var format = json.RootElement.GetProperty("format").GetString()!;
            seconds[format] = json.RootElement.GetProperty("seconds").GetDouble();
            Console.WriteLine($"calibre {format}: {seconds[format]:F2} s");
        }

        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"calibre-debug failed with exit code {process.ExitCode}: {await errorTask}");
        }

        return seconds;
    }
}
