using Booklore.Tasks.Services.Library;

namespace Booklore.Tasks.Bench;

/// <summary>Collects the benchmark's book files, grouped by format ("epub", "pdf", "comic").</summary>
internal static class BenchFiles
{
    private const int Seed = 1;
    private const int CorruptEvery = 100;

    private static readonly string[] CorpusFormatFolders = ["epub", "pdf", "comics"];

    public static SortedDictionary<string, List<string>> Collect(BenchOptions options)
    {
        if (!Directory.Exists(options.LibraryFolder))
        {
            Console.WriteLine($"Generating {options.GeneratedCount} books in {options.LibraryFolder} (seed {Seed}, one in {CorruptEvery} corrupt)");
            LibraryGenerator.Generate(options.LibraryFolder, options.GeneratedCount, Seed, CorruptEvery);
        }

        var folders = new List<string> { options.LibraryFolder };
        if (options.CorpusFolder is not null)
        {
            folders.AddRange(CorpusFormatFolders.Select(name => Path.Combine(options.CorpusFolder, name)));
        }

        var files = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var path in folders.Where(Directory.Exists).SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)))
        {
            if (FormatOf(path) is { } format)
            {
                if (!files.TryGetValue(format, out var list))
                {
                    files[format] = list = [];
                }

                list.Add(path);
            }
        }

        foreach (var list in files.Values)
        {
            list.Sort(StringComparer.Ordinal);
        }

        return files;
    }

    // CBT is left out because our readers do not support it.
    private static string? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".epub" => "epub",
        ".pdf" => "pdf",
        ".cbz" or ".cbr" or ".cb7" => "comic",
        _ => null,
    };
}
