using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services;
using Booklore.Tasks.Services.Refresh;
using Booklore.Tasks.Services.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Booklore.Tasks.RefreshBench;

/// <summary>One measured step: a scan or a refresh with given options, run through the real engine.</summary>
internal static class Phase
{
    public static IReadOnlyList<string> All { get; } = ["scan", "refresh-full", "refresh-unchanged", "preview-replace-all", "refresh-replace-all"];

    /// <summary>Runs one phase in a child process and reads the result line it prints.</summary>
    public static async Task<PhaseResult> RunChildAsync(string phase, string library, string data)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        var entryAssembly = typeof(Phase).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(entryAssembly);
        }

        foreach (var argument in new[] { "phase", phase, library, data })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = output.Split('\n').LastOrDefault(text => text.StartsWith('{'))
            ?? throw new InvalidOperationException($"Phase {phase} printed no result (exit code {process.ExitCode}):\n{output}");
        return JsonSerializer.Deserialize<PhaseResult>(line)!;
    }

    /// <summary>Runs one phase in this process and prints its result as one JSON line.</summary>
    public static async Task<int> RunAsync(string phase, string library, string data)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Booklore:DataPath"] = data,
            ["Booklore:Libraries:0:Name"] = "Bench",
            ["Booklore:Libraries:0:Path"] = library,
        });
        builder.Services.AddBooklore(builder.Configuration);
        using var host = builder.Build();

        // The first start creates the library and queues its scan, which is the scan phase.
        var clock = Stopwatch.StartNew();
        await host.Services.InitializeBookloreAsync(CancellationToken.None);
        await host.StartAsync();
        var registry = host.Services.GetRequiredService<TaskRegistry>();
        var run = phase == "scan"
            ? await WaitForLastRunAsync(registry, TaskKeys.ScanLibrary)
            : await RefreshAsync(registry, phase, clock);
        var seconds = clock.Elapsed.TotalSeconds;
        await host.StopAsync();

        var result = new PhaseResult(seconds, Machine.PeakResidentMegabytes(), $"{run.State}: {run.Summary}");
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private static async Task<RunSnapshot> RefreshAsync(TaskRegistry registry, string phase, Stopwatch clock)
    {
        var options = phase switch
        {
            "refresh-full" => new RefreshOptions { Force = true },
            "refresh-unchanged" => new RefreshOptions(),
            "preview-replace-all" => new RefreshOptions { ReplaceMode = ReplaceMode.All, DryRun = true },
            "refresh-replace-all" => new RefreshOptions { ReplaceMode = ReplaceMode.All },
            _ => throw new ArgumentException($"Unknown phase '{phase}'; use one of {string.Join(", ", All)}.", nameof(phase)),
        };
        clock.Restart();
        var started = await registry.StartAsync(
            TaskKeys.RefreshMetadata,
            JsonSerializer.SerializeToElement(options, RunJson.Options),
            RunTriggers.Api,
            CancellationToken.None);
        return await WaitForEndAsync(registry, started.Run.Id);
    }

    private static async Task<RunSnapshot> WaitForLastRunAsync(TaskRegistry registry, string taskKey)
    {
        while (true)
        {
            var history = await registry.GetHistoryAsync(taskKey, 1, CancellationToken.None);
            if (history is [{ IsActive: false } run])
            {
                return run;
            }

            await Task.Delay(20);
        }
    }

    private static async Task<RunSnapshot> WaitForEndAsync(TaskRegistry registry, long runId)
    {
        while (true)
        {
            var run = await registry.GetRunAsync(runId, CancellationToken.None);
            if (run is { IsActive: false } && registry.GetActiveRun(TaskKeys.RefreshMetadata) is null)
            {
                return run;
            }

            await Task.Delay(20);
        }
    }
}

/// <summary>Wall time of a phase, the peak resident memory of its process, and the run's outcome.</summary>
internal sealed record PhaseResult(double Seconds, double PeakMegabytes, string Summary);
