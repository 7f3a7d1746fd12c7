using System.Collections.Concurrent;
using System.Text.Json;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Tests.TestSupport;

namespace Booklore.Tasks.Tests.Services.Metadata;

/// <summary>
/// The entries of the corpus expected.json and the reader's result for each file. Results are
/// cached so every file is read once per test run, however many field tests use it.
/// </summary>
public static class CorpusCases
{
    /// <summary>Formats the readers do not support; their files are tested to fail cleanly instead.</summary>
    public static readonly string[] UnsupportedExtensions = [".cbt"];

    private static readonly Lazy<Dictionary<string, JsonElement>> Entries = new(LoadEntries);
    private static readonly ConcurrentDictionary<string, MetadataReadResult> Results = new();
    private static readonly BookFileReader Reader = new();

    /// <summary>The expected.json object for a file given relative to the corpus root.</summary>
    public static JsonElement Expected(string relativePath) => Entries.Value[relativePath];

    /// <summary>
    /// Reads a corpus file once. Package documents under opf/ have no container, so they go to
    /// the OPF parser directly and are reported as EPUB results.
    /// </summary>
    public static MetadataReadResult Read(string relativePath) => Results.GetOrAdd(relativePath, static path =>
        path.EndsWith(".opf", StringComparison.OrdinalIgnoreCase)
            ? MetadataReadResult.Success(BookFormat.Epub, OpfMetadataParser.Parse(File.ReadAllBytes(CorpusFiles.PathOf(path))))
            : Reader.Read(CorpusFiles.PathOf(path), CancellationToken.None));

    /// <summary>Reads a corpus file and asserts that the read succeeded.</summary>
    public static BookMetadata ReadMetadata(string relativePath)
    {
        var result = Read(relativePath);
        Assert.True(result.Succeeded, $"Reading {relativePath} failed: {result.Error}");
        return result.Metadata!;
    }

    /// <summary>Readable files (not under broken/) whose expected entry has the field.</summary>
    public static TheoryData<string> WithField(string field) => Select(path => IsReadable(path) && Has(path, field));

    /// <summary>
    /// Like <see cref="WithField"/>, plus broken/ files whose entry has the field, because those
    /// files are broken only in ways that leave that field readable.
    /// </summary>
    public static TheoryData<string> WithFieldIncludingBroken(string field) =>
        Select(path => IsSupported(path) && Has(path, field) && !IsBrokenPdf(path));

    /// <summary>Readable files of one format folder ("pdf/", "epub/", "comics/") with the field.</summary>
    public static TheoryData<string> WithFieldUnder(string folder, string field) =>
        Select(path => IsReadable(path) && path.StartsWith(folder, StringComparison.Ordinal) && Has(path, field));

    /// <summary>Readable files of one format folder whose entry has the field inside "extra".</summary>
    public static TheoryData<string> WithExtraUnder(string folder, string extraField) =>
        Select(path => IsReadable(path) && path.StartsWith(folder, StringComparison.Ordinal) && Extra(Entries.Value[path], extraField) is not null);

    /// <summary>Every file under broken/ except bare package documents.</summary>
    public static TheoryData<string> BrokenFiles() =>
        Select(path => path.StartsWith("broken/", StringComparison.Ordinal) && !path.EndsWith(".opf", StringComparison.Ordinal));

    /// <summary>Files under broken/ (bare package documents excepted) whose entry has the field.</summary>
    public static TheoryData<string> BrokenFilesWithField(string field) =>
        Select(path => path.StartsWith("broken/", StringComparison.Ordinal) && !path.EndsWith(".opf", StringComparison.Ordinal) && Has(path, field));

    /// <summary>Every file except bare package documents, which the tests parse without a container.</summary>
    public static TheoryData<string> ContainerFiles() => Select(path => !path.EndsWith(".opf", StringComparison.Ordinal));

    /// <summary>Every file outside broken/ in a supported format.</summary>
    public static TheoryData<string> ReadableFiles() => Select(IsReadable);

    /// <summary>Files in formats that the readers do not support.</summary>
    public static TheoryData<string> UnsupportedFiles() => Select(path => !IsSupported(path));

    public static string? Text(JsonElement entry, string field) =>
        entry.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static string[] TextList(JsonElement entry, string field) =>
        entry.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(item => item.GetString()!).ToArray()
            : [];

    public static JsonElement? Extra(JsonElement entry, string field) =>
        entry.TryGetProperty("extra", out var extra) && extra.TryGetProperty(field, out var value) ? value : null;

    private static bool Has(string path, string field) =>
        Entries.Value[path].TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null;

    private static bool IsSupported(string path) =>
        !UnsupportedExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    private static bool IsReadable(string path) => IsSupported(path) && !path.StartsWith("broken/", StringComparison.Ordinal);

    // The damaged PDFs disagree between PDF libraries on page counts; dedicated tests cover them.
    private static bool IsBrokenPdf(string path) => path.StartsWith("broken/pdf/", StringComparison.Ordinal);

    private static TheoryData<string> Select(Func<string, bool> predicate)
    {
        var data = new TheoryData<string>();
        foreach (var path in Entries.Value.Keys.Where(predicate).Order(StringComparer.Ordinal))
        {
            data.Add(path);
        }

        return data;
    }

    private static Dictionary<string, JsonElement> LoadEntries()
    {
        using var stream = File.OpenRead(CorpusFiles.ExpectedJsonPath);
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.EnumerateObject()
            .Where(property => property.Name != "_about")
            .ToDictionary(property => property.Name, property => property.Value.Clone(), StringComparer.Ordinal);
    }
}
