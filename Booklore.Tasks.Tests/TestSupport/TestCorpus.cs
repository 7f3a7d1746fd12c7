namespace Booklore.Tasks.Tests.TestSupport;

/// <summary>
/// Locates the shared test corpus: the first "shared/corpus" folder (with its SOURCES.tsv) found
/// by walking up from the test binaries, which is "../shared/corpus" beside the repository, or
/// the folder that BOOKLORE_TEST_CORPUS names.
/// </summary>
internal static class TestCorpus
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary>Returns the full path of a corpus file from its path relative to the corpus, with "/" separators.</summary>
    public static string GetPath(string relativePath) =>
        Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable(CorpusFiles.EnvironmentVariable) is { Length: > 0 })
        {
            return CorpusFiles.Root;
        }

        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "shared", "corpus");
            if (File.Exists(Path.Combine(candidate, "SOURCES.tsv")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"The test corpus (shared/corpus with SOURCES.tsv) was not found in any folder above {AppContext.BaseDirectory}; set {CorpusFiles.EnvironmentVariable} to its folder.");
    }
}
