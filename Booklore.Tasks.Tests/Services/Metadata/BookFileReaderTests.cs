using System.IO.Compression;
using System.Text;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Tests.TestSupport;
using SharpCompress.Common;
using SharpCompress.Writers;

namespace Booklore.Tasks.Tests.Services.Metadata;

/// <summary>Reader behaviour on files built by the tests: detection, limits, cancellation, threads.</summary>
public sealed class BookFileReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("booklore-readers-").FullName;
    private readonly BookFileReader _reader = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void DetectFormat_ZipNamedCbr_ReturnsCbz()
    {
        var path = Path.Combine(_folder, "zip.cbr");
        File.Copy(CorpusFiles.PathOf("comics/kavita/flat file.cbz"), path);

        Assert.Equal(BookFormat.Cbz, _reader.DetectFormat(path));
        Assert.Equal(1, _reader.Read(path, CancellationToken.None).Metadata?.PageCount);
    }

    [Fact]
    public void Read_TextFile_ReturnsFailureNamingFile()
    {
        var path = Path.Combine(_folder, "notes.epub");
        File.WriteAllText(path, "not a book");

        var result = _reader.Read(path, CancellationToken.None);

        Assert.Equal(BookFormat.Unknown, result.Format);
        Assert.Contains("notes.epub", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingFile_ReturnsFailure()
    {
        var result = _reader.Read(Path.Combine(_folder, "missing.pdf"), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.StartsWith("the file could not be read", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OversizedComicInfo_ReturnsSizeFailure()
    {
        var path = Path.Combine(_folder, "bomb.cbz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            var entry = zip.CreateEntry("ComicInfo.xml", CompressionLevel.SmallestSize);
            using var stream = entry.Open();
            var padding = new byte[1024 * 1024];
            Array.Fill(padding, (byte)' ');
            for (var i = 0; i < 5; i++)
            {
                stream.Write(padding);
            }
        }

        var result = _reader.Read(path, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains("larger than the 4 MB limit", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CbzWithBzip2ComicInfo_FallsBackToSharpCompress()
    {
        // System.IO.Compression reads only stored and deflated entries; 7-Zip can write BZip2.
        var path = Path.Combine(_folder, "bzip2.cbz");
        using (var file = File.Create(path))
        using (var writer = WriterFactory.OpenWriter(file, ArchiveType.Zip, new WriterOptions(CompressionType.BZip2)))
        {
            writer.Write("ComicInfo.xml", new MemoryStream("<ComicInfo><Title>Packed with BZip2</Title></ComicInfo>"u8.ToArray()));
            writer.Write("page01.png", new MemoryStream([0x89, 0x50, 0x4E, 0x47]));
        }

        var result = _reader.Read(path, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(BookFormat.Cbz, result.Format);
        Assert.Equal("Packed with BZip2", result.Metadata!.Title);
        Assert.Equal(1, result.Metadata.PageCount);
    }

    [Fact]
    public void Read_EpubWithoutContainer_FindsSingleOpf()
    {
        var path = Path.Combine(_folder, "book.epub");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            WriteEntry(zip, "mimetype", "application/epub+zip");
            WriteEntry(zip, "OEBPS/book.opf", """
                <package xmlns="http://www.idpf.org/2007/opf" xmlns:dc="http://purl.org/dc/elements/1.1/" version="3.0">
                  <metadata>
                    <dc:title id="t1">Main</dc:title>
                    <dc:title id="t2">Sub</dc:title>
                    <meta refines="#t2" property="title-type">subtitle</meta>
                    <dc:identifier>urn:isbn:0-553-89784-5</dc:identifier>
                    <dc:identifier>goodreads:71348</dc:identifier>
                    <dc:language>eng</dc:language>
                  </metadata>
                </package>
                """);
        }

        var result = _reader.Read(path, CancellationToken.None);

        Assert.Equal(BookFormat.Epub, result.Format);
        var metadata = result.Metadata;
        Assert.NotNull(metadata);
        Assert.Equal("Main", metadata.Title);
        Assert.Equal("Sub", metadata.Subtitle);
        Assert.Equal("9780553897845", metadata.Isbn13);
        Assert.Equal("0553897845", metadata.Isbn10);
        Assert.Equal([new BookIdentifier("goodreads", "71348")], metadata.Identifiers);
        Assert.Equal("en", metadata.Language);
    }

    [Fact]
    public void Read_CancelledToken_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(() =>
            _reader.Read(CorpusFiles.PathOf("epub/stump/book.epub"), cancellation.Token));
    }

    [Fact]
    public void Read_ManyThreads_ReturnSameResults()
    {
        string[] paths =
        [
            CorpusFiles.PathOf("epub/stump/book.epub"),
            CorpusFiles.PathOf("pdf/pypdf/GeoTopo-komprimiert.pdf"),
            CorpusFiles.PathOf("comics/komga/rar5-solid.cbr"),
            CorpusFiles.PathOf("comics/comicbox/Captain Science #001.cb7"),
        ];
        var expected = paths.Select(path => _reader.Read(path, CancellationToken.None).Metadata?.Title).ToArray();

        var results = Enumerable.Range(0, 32).AsParallel()
            .Select(i => (Index: i % paths.Length, Title: _reader.Read(paths[i % paths.Length], CancellationToken.None).Metadata?.Title))
            .ToList();

        Assert.All(results, result => Assert.Equal(expected[result.Index], result.Title));
    }

    private static void WriteEntry(ZipArchive zip, string name, string content)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.Write(content);
    }
}
