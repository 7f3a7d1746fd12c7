using System.Globalization;

namespace Booklore.Tasks.Bench;

/// <summary>Command-line options of the metadata reading benchmark.</summary>
internal sealed record BenchOptions(
    string LibraryFolder,
    int GeneratedCount,
    string? CorpusFolder,
    int Rounds,
    bool SkipCalibre,
    string CalibreScript)
{
    public const string Usage = """
        usage: Booklore.Tasks.Bench [--library DIR] [--count N] [--corpus DIR] [--rounds N] [--skip-calibre]
          --library DIR    folder of the generated library; generated when it does not exist
                           (default: booklore-bench-library in the temp folder)
          --count N        books to generate (default 2000: 1000 EPUB, 500 PDF, 500 CBZ)
          --corpus DIR     also read the EPUB, PDF and comic files under DIR/epub, DIR/pdf, DIR/comics
          --rounds N       timed rounds of our readers; the median is reported (default 5)
          --skip-calibre   time only our readers
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(
            Path.Combine(Path.GetTempPath(), "booklore-bench-library"),
            GeneratedCount: 2000,
            CorpusFolder: null,
            Rounds: 5,
            SkipCalibre: false,
            CalibreScript: Path.Combine(AppContext.BaseDirectory, "calibre_bench.py"));

        for (var index = 0; index < args.Length; index++)
        {
            string Value() => index + 1 < args.Length ? args[++index] : throw new ArgumentException($"{args[index]} needs a value");

            options = args[index] switch
            {
                "--library" => options with { LibraryFolder = Path.GetFullPath(Value()) },
                "--count" => options with { GeneratedCount = PositiveNumber("--count", Value()) },
                "--corpus" => options with { CorpusFolder = Path.GetFullPath(Value()) },
                "--rounds" => options with { Rounds = PositiveNumber("--rounds", Value()) },
                "--skip-calibre" => options with { SkipCalibre = true },
                _ => throw new ArgumentException($"unknown option '{args[index]}'"),
            };
        }

        return options;
    }

    private static int PositiveNumber(string option, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{option} must be a whole number above 0, not '{text}'");
}
