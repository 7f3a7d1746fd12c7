using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace Booklore.Tasks.Services.Library;

/// <summary>
/// Writes a library of generated books (EPUB, PDF and CBZ with varied metadata, and a share of
/// corrupt files) for tests, benchmarks and trying the app at scale. The same seed always
/// writes the same library.
/// </summary>
public static class LibraryGenerator
{
    private static readonly string[] Words =
    [
        "Silent", "River", "Harbor", "Winter", "Glass", "Empire", "Garden", "Shadow", "Copper", "Lantern",
        "North", "Orchard", "Signal", "Ember", "Atlas", "Meridian", "Hollow", "Cinder", "Falcon", "Tide",
    ];

    private static readonly string[] FirstNames = ["Ada", "Bruno", "Clara", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas"];
    private static readonly string[] LastNames = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Silva", "Novak", "Keller", "Haddad", "Walsh", "Ibarra"];
    private static readonly string[] Languages = ["en", "en-US", "fr", "de", "es", "ja", "pt-BR"];
    private static readonly string[] Subjects = ["Fiction", "Mystery", "History", "Science", "Adventure", "Poetry", "Travel"];

    // A 1x1 transparent PNG, the page image of generated comics.
    private static readonly byte[] PagePng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    /// <summary>Writes <paramref name="count"/> books under <paramref name="folder"/>, about one in <paramref name="corruptEvery"/> corrupt.</summary>
    public static GeneratedLibrary Generate(string folder, int count, int seed = 1, int corruptEvery = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        var corrupt = 0;
        for (var index = 0; index < count; index++)
        {
            var book = CreateBook(random, index);
            var subfolder = Path.Combine(folder, book.Author.Split(' ')[^1], book.SeriesName ?? "Standalone");
            Directory.CreateDirectory(subfolder);
            var isCorrupt = corruptEvery > 0 && index % corruptEvery == corruptEvery - 1;
            corrupt += isCorrupt ? 1 : 0;

            // Corrupt books take the formats in turn; otherwise every corrupt slot would land on the same format.
            var slot = isCorrupt ? index / corruptEvery % 4 : index % 4;
            switch (slot)
            {
                case 0 or 1:
                    Write(Path.Combine(subfolder, $"{book.FileName}.epub"), WriteEpub(book), isCorrupt);
                    break;
                case 2:
                    Write(Path.Combine(subfolder, $"{book.FileName}.pdf"), WritePdf(book), isCorrupt);
                    break;
                default:
                    Write(Path.Combine(subfolder, $"{book.FileName}.cbz"), WriteCbz(book), isCorrupt);
                    break;
            }
        }

        return new GeneratedLibrary(folder, count, corrupt);
    }

    private static GeneratedBook CreateBook(Random random, int index)
    {
        var title = $"{Pick(random, Words)} {Pick(random, Words)}";
        var inSeries = random.Next(3) == 0;
        var isbn13 = Isbn13(random);
        string? seriesNumber = null;
        if (inSeries)
        {
            // One in eight series books has a half number such as "3.5".
            seriesNumber = random.Next(8) == 0 ? $"{random.Next(1, 9)}.5" : $"{random.Next(1, 12)}";
        }

        return new GeneratedBook(
            FileName: $"{index:D6} {title}",
            Title: $"{title} {index}",
            Author: $"{Pick(random, FirstNames)} {Pick(random, LastNames)}",
            SeriesName: inSeries ? $"The {Pick(random, Words)} Cycle" : null,
            SeriesNumber: seriesNumber,
            Publisher: $"{Pick(random, LastNames)} Press",
            Language: Pick(random, Languages),
            Year: random.Next(1950, 2026),
            Month: random.Next(1, 13),
            Isbn13: isbn13,
            Subjects: [Pick(random, Subjects), Pick(random, Subjects)],
            Description: $"A generated book about {Pick(random, Words).ToLowerInvariant()} and {Pick(random, Words).ToLowerInvariant()}.",
            Pages: random.Next(1, 4));
    }

    private static void Write(string path, byte[] content, bool corrupt)
    {
        // A corrupt file is cut short, as a failed copy leaves it. An archive keeps its first third,
        // which loses its central directory. A PDF keeps only its header line, because a PDF reader
        // that repairs files can rebuild a third of one.
        var length = !corrupt ? content.Length
            : path.EndsWith(".pdf", StringComparison.Ordinal) ? Array.IndexOf(content, (byte)'\n') + 1
            : content.Length / 3;
        File.WriteAllBytes(path, content[..length]);
    }

    private static byte[] WriteEpub(GeneratedBook book)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            AddEntry(zip, "mimetype", "application/epub+zip", CompressionLevel.NoCompression);
            AddEntry(zip, "META-INF/container.xml", """
                <?xml version="1.0"?>
                <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
                  <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
                </container>
                """);
            AddEntry(zip, "OEBPS/content.opf", Opf(book));
            AddEntry(zip, "OEBPS/chapter1.xhtml", $"<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>{Escape(book.Description)}</p></body></html>");
        }

        return buffer.ToArray();
    }

    private static string Opf(GeneratedBook book)
    {
        var series = book.SeriesName is null ? "" : $"""
                <meta name="calibre:series" content="{Escape(book.SeriesName)}"/>
                <meta name="calibre:series_index" content="{book.SeriesNumber}"/>
            """;
        var subjects = string.Concat(book.Subjects.Distinct().Select(subject => $"<dc:subject>{subject}</dc:subject>"));
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <package version="2.0" unique-identifier="id" xmlns="http://www.idpf.org/2007/opf">
              <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
                <dc:title>{Escape(book.Title)}</dc:title>
                <dc:creator opf:role="aut">{Escape(book.Author)}</dc:creator>
                <dc:publisher>{Escape(book.Publisher)}</dc:publisher>
                <dc:language>{book.Language}</dc:language>
                <dc:date>{book.Year:D4}-{book.Month:D2}</dc:date>
                <dc:identifier id="id" opf:scheme="ISBN">{book.Isbn13}</dc:identifier>
                <dc:description>{Escape(book.Description)}</dc:description>
                {subjects}
                {series}
              </metadata>
              <manifest><item id="c1" href="chapter1.xhtml" media-type="application/xhtml+xml"/></manifest>
              <spine><itemref idref="c1"/></spine>
            </package>
            """;
    }

    private static byte[] WriteCbz(GeneratedBook book)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            AddEntry(zip, "ComicInfo.xml", $"""
                <?xml version="1.0" encoding="utf-8"?>
                <ComicInfo>
                  <Title>{Escape(book.Title)}</Title>
                  <Series>{Escape(book.SeriesName ?? book.Title)}</Series>
                  <Number>{book.SeriesNumber ?? "1"}</Number>
                  <Writer>{Escape(book.Author)}</Writer>
                  <Publisher>{Escape(book.Publisher)}</Publisher>
                  <Year>{book.Year}</Year>
                  <Month>{book.Month}</Month>
                  <Summary>{Escape(book.Description)}</Summary>
                  <Genre>{string.Join(", ", book.Subjects.Distinct())}</Genre>
                  <LanguageISO>{book.Language}</LanguageISO>
                  <PageCount>{book.Pages}</PageCount>
                </ComicInfo>
                """);
            for (var page = 1; page <= book.Pages; page++)
            {
                var entry = zip.CreateEntry($"page{page:D3}.png", CompressionLevel.NoCompression);
                using var stream = entry.Open();
                stream.Write(PagePng);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Writes a small valid PDF with an Info dictionary and one empty page per book page.</summary>
    private static byte[] WritePdf(GeneratedBook book)
    {
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            $"<< /Type /Pages /Kids [{string.Join(' ', Enumerable.Range(0, book.Pages).Select(page => $"{4 + page} 0 R"))}] /Count {book.Pages} >>",
            $"<< /Title ({PdfText(book.Title)}) /Author ({PdfText(book.Author)}) /Subject ({PdfText(book.Description)}) "
                + $"/Keywords ({string.Join(", ", book.Subjects.Distinct())}) /CreationDate (D:{book.Year:D4}{book.Month:D2}01000000Z) >>",
        };
        objects.AddRange(Enumerable.Range(0, book.Pages).Select(_ => "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] >>"));

        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var index = 0; index < objects.Count; index++)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(pdf.ToString()));
            pdf.Append(CultureInfo.InvariantCulture, $"{index + 1} 0 obj\n{objects[index]}\nendobj\n");
        }

        var xref = Encoding.Latin1.GetByteCount(pdf.ToString());
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R /Info 3 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }

    private static void AddEntry(ZipArchive zip, string name, string content, CompressionLevel level = CompressionLevel.Fastest)
    {
        var entry = zip.CreateEntry(name, level);
        using var writer = new StreamWriter(entry.Open(), new UTF8Encoding(false));
        writer.Write(content);
    }

    private static string Isbn13(Random random)
    {
        var digits = "978" + string.Concat(Enumerable.Range(0, 9).Select(_ => random.Next(10).ToString(CultureInfo.InvariantCulture)));
        var sum = digits.Select((digit, position) => (digit - '0') * (position % 2 == 0 ? 1 : 3)).Sum();
        return digits + ((10 - (sum % 10)) % 10).ToString(CultureInfo.InvariantCulture);
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string Escape(string value) => SecurityElement.Escape(value);

    private static string PdfText(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("(", "\\(", StringComparison.Ordinal)
        .Replace(")", "\\)", StringComparison.Ordinal);

    private sealed record GeneratedBook(
        string FileName,
        string Title,
        string Author,
        string? SeriesName,
        string? SeriesNumber,
        string Publisher,
        string Language,
        int Year,
        int Month,
        string Isbn13,
        string[] Subjects,
        string Description,
        int Pages);
}

/// <summary>What <see cref="LibraryGenerator"/> wrote: the folder, the number of books and how many of them are corrupt.</summary>
public sealed record GeneratedLibrary(string Folder, int Books, int Corrupt);
