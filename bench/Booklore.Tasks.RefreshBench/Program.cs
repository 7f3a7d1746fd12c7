using System.Diagnostics;
using System.Globalization;
using Booklore.Tasks.RefreshBench;

// Measures the metadata refresh on a generated library. Each phase runs in a fresh child
// process, so its peak memory is its own; a raw read of every file in the same script is the
// baseline the times are compared with.
if (args is ["phase", var phaseName, var libraryFolder, var dataFolder])
{
    return await Phase.RunAsync(phaseName, libraryFolder, dataFolder);
}

var books = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var root = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), $"booklore-bench-{books}");
var library = Path.Combine(root, "library");
var data = Path.Combine(root, "data");

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Machine.Describe()}");
if (!Directory.Exists(library))
{
    var clock = Stopwatch.StartNew();
    var generated = Booklore.Tasks.Services.Library.LibraryGenerator.Generate(library, books);
    Console.WriteLine($"Generated {generated.Books:N0} books ({generated.Corrupt:N0} corrupt) in {clock.Elapsed.TotalSeconds:0.0} s");
}

if (Directory.Exists(data))
{
    Directory.Delete(data, recursive: true);
}

var baseline = Baseline.ReadEveryFile(library);
Console.WriteLine($"Baseline: read {baseline.Files:N0} files ({baseline.Bytes / 1048576.0:0} MB) on {Environment.ProcessorCount} threads in {baseline.Seconds:0.00} s");
Console.WriteLine();
Console.WriteLine("| phase | time (s) | ratio to baseline | peak memory (MB) | summary |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var phase in Phase.All)
{
    var result = await Phase.RunChildAsync(phase, library, data);
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"| {phase} | {result.Seconds:0.00} | {result.Seconds / baseline.Seconds:0.0} | {result.PeakMegabytes:0} | {result.Summary} |"));
}

return 0;
