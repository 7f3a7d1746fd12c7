namespace Booklore.Tasks.Tests.TestSupport;

/// <summary>
/// Locates the shared book-file corpus: a "shared/corpus" folder (with expected.json) next to
/// the repository or any of its ancestors, so tests find it both in a local worktree and in CI,
/// or the folder that BOOKLORE_TEST_CORPUS names.
/// </summary>
public static class CorpusFiles
{
    private static readonly Lazy<string> CorpusRoot = new(FindRoot);

    /// <summary>Absolute path of the corpus folder.</summary>
    public static string Root => CorpusRoot.Value;

    /// <summary>Absolute path of expected.json.</summary>
    public static string ExpectedJsonPath => Path.Combine(Root, "expected.json");

    /// <summary>Absolute path of a file given relative to the corpus root, such as "epub/stump/book.epub".</summary>
    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    /// <summary>Environment variable that names the corpus folder when it is not beside the repository.</summary>
    public const string EnvironmentVariable = "BOOKLORE_TEST_CORPUS";

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "expected.json"))
                ? Path.GetFullPath(configured)
                : throw new DirectoryNotFoundException($"{EnvironmentVariable} is '{configured}', which has no expected.json; point it at the corpus folder.");
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "corpus");
            if (File.Exists(Path.Combine(candidate, "expected.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No shared/corpus/expected.json found beside {AppContext.BaseDirectory} or any of its parent folders; "
            + $"check out the shared corpus next to the repository or set {EnvironmentVariable} to its folder.");
    }
}
