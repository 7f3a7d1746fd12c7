using System.Text.Encodings.Web;
using System.Text.Json;
using Booklore.Tasks.Services.Metadata;

// Prints the metadata our readers return for each file, one JSON object per line with the
// file's absolute path. tools/compare_with_calibre.py reads this output.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: MetadataDump PATH...  (a PATH that is a folder is read with all its files)");
    return 2;
}

var reader = new BookFileReader();
var options = new JsonSerializerOptions
{
    PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
};

var files = args.SelectMany<string, string>(path => Directory.Exists(path)
    ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
    : [path]);
foreach (var file in files)
{
    var result = reader.Read(file, CancellationToken.None);
    var line = new DumpLine(
        Path.GetFullPath(file),
        result.Format.ToString(),
        result.Error,
        result.Metadata is null ? null : DumpMetadata.From(result.Metadata));
    Console.WriteLine(JsonSerializer.Serialize(line, options));
}

return 0;

internal sealed record DumpLine(string Path, string Format, string? Error, DumpMetadata? Metadata);

/// <summary>BookMetadata with the date as text ("2021", "2021-06" or "2021-06-20").</summary>
internal sealed record DumpMetadata(
    string? Title,
    string? Subtitle,
    IReadOnlyList<Contributor> Authors,
    string? SeriesName,
    decimal? SeriesNumber,
    string? Publisher,
    string? PublishedDate,
    string? Language,
    string? Description,
    string? Isbn10,
    string? Isbn13,
    IReadOnlyList<BookIdentifier> Identifiers,
    IReadOnlyList<string> Subjects,
    int? PageCount)
{
    public static DumpMetadata From(BookMetadata metadata) => new(
        metadata.Title,
        metadata.Subtitle,
        metadata.Authors,
        metadata.SeriesName,
        metadata.SeriesNumber,
        metadata.Publisher,
        metadata.PublishedDate?.ToString(),
        metadata.Language,
        metadata.Description,
        metadata.Isbn10,
        metadata.Isbn13,
        metadata.Identifiers,
        metadata.Subjects,
        metadata.PageCount);
}
