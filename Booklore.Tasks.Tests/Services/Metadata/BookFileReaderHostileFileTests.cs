using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Tests.TestSupport;

namespace Booklore.Tasks.Tests.Services.Metadata;

/// <summary>
/// Hostile files built at run time: reference loops, deep nesting, wrong declared encodings,
/// lying zip sizes, truncated RARs and external entities. Each read must end in a reason or in
/// the right metadata, within seconds.
/// </summary>
public sealed class BookFileReaderHostileFileTests : IDisposable
{
    private const string Container = """
        <?xml version="1.0"?>
        <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
          <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
        </container>
        """;

    private static readonly TimeSpan MaxReadTime = TimeSpan.FromSeconds(5);

    private readonly string _folder = Directory.CreateTempSubdirectory("booklore-hostile-").FullName;
    private readonly BookFileReader _reader = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Read_PdfInfoReferenceLoop_ReturnsDamagedFailure()
    {
        // /Title is object 6, whose body is "7 0 R", whose body is "6 0 R". PdfPig 0.1.16 recursed
        // on this until the stack overflowed, which ended the whole process.
        var path = Write("loop.pdf", TestPdf.Create("/Title 6 0 R /Author (Ann Lee)", extraObjects: ["7 0 R", "6 0 R"]));

        var result = ReadTimed(path);

        Assert.False(result.Succeeded);
        Assert.Equal(BookFormat.Pdf, result.Format);
        Assert.Equal("the PDF is damaged: object 6 starts a loop, or a chain longer than 32, of objects that only refer to other objects", result.Error);
    }

    [Fact]
    public void Read_PdfLongReferenceChain_ReturnsDamagedFailure()
    {
        // Objects 6 to 205 each refer to the next one, and the last contains the title.
        var chain = Enumerable.Range(7, 199).Select(number => $"{number} 0 R").Append("(Deep Title)").ToList();
        var path = Write("chain.pdf", TestPdf.Create("/Title 6 0 R", extraObjects: chain));

        var result = ReadTimed(path);

        Assert.False(result.Succeeded);
        Assert.StartsWith("the PDF is damaged: object 6 starts a loop", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PdfShortReferenceChain_ReadsTitle()
    {
        var path = Write("short-chain.pdf", TestPdf.Create("/Title 6 0 R", extraObjects: ["7 0 R", "(Chained Title)"]));

        var metadata = ReadMetadata(path);

        Assert.Equal("Chained Title", metadata.Title);
    }

    [Fact]
    public void Read_PdfDeeplyNestedXmp_FallsBackToInfo()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 100_000)) + "x" + string.Concat(Enumerable.Repeat("</a>", 100_000));
        var path = Write("deep-xmp.pdf", TestPdf.Create("/Title (Info Title)", TestPdf.Xmp(deep, "Creator")));

        var metadata = ReadMetadata(path);

        Assert.Equal("Info Title", metadata.Title);
    }

    [Fact]
    public void Read_EpubDeeplyNestedOpf_ReturnsNestingFailure()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 100_000)) + "x" + string.Concat(Enumerable.Repeat("</a>", 100_000));
        var path = WriteEpub("deep.epub", Encoding.UTF8.GetBytes(Opf(deep)));

        var result = ReadTimed(path);

        Assert.False(result.Succeeded);
        Assert.Contains("'OEBPS/content.opf' is not well-formed XML", result.Error, StringComparison.Ordinal);
        Assert.Contains($"nest deeper than {SafeXml.MaxDepth} levels", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CbzDeeplyNestedComicInfo_ReturnsNestingFailure()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000));
        var path = WriteCbz("deep.cbz", Encoding.UTF8.GetBytes($"<ComicInfo><Title>{deep}</Title></ComicInfo>"));

        var result = ReadTimed(path);

        Assert.False(result.Succeeded);
        Assert.Contains("'ComicInfo.xml' is not well-formed XML", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ComicInfoDeclaringUtf16InUtf8_ReadsTitle()
    {
        var comicInfo = Encoding.UTF8.GetBytes("""<?xml version="1.0" encoding="utf-16"?><ComicInfo><Title>Café</Title></ComicInfo>""");
        var path = WriteCbz("utf16-declared.cbz", comicInfo);

        var metadata = ReadMetadata(path);

        Assert.Equal("Café", metadata.Title);
        Assert.Equal(1, metadata.PageCount);
    }

    [Fact]
    public void Read_OpfInWindows1252_DecodesQuotes()
    {
        var opf = Opf("Café “quoted”").Replace("encoding=\"UTF-8\"", "encoding=\"windows-1252\"", StringComparison.Ordinal);
        var path = WriteEpub("cp1252.epub", CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(opf));

        var metadata = ReadMetadata(path);

        Assert.Equal("Café “quoted”", metadata.Title);
    }

    [Fact]
    public void Read_OpfEntryLyingAboutItsSize_ReturnsXmlFailure()
    {
        // The zip headers claim 100 bytes for an OPF that inflates to 50 MB.
        var opf = Encoding.UTF8.GetBytes(Opf(new string('Q', 50 * 1024 * 1024)));
        var path = WriteEpub("lying.epub", opf);
        SetDeclaredSize(path, "OEBPS/content.opf", 100);

        var result = ReadTimed(path);

        // System.IO.Compression stops at the declared size, so the OPF is cut off mid-element.
        Assert.False(result.Succeeded);
        Assert.Contains("'OEBPS/content.opf' is not well-formed XML", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("comics/komga/rar4.cbr")]
    [InlineData("comics/komga/rar5.cbr")]
    [InlineData("comics/komga/rar5-solid.cbr")]
    public void Read_TruncatedRar_ReturnsTruncatedFailure(string corpusPath)
    {
        var bytes = File.ReadAllBytes(CorpusFiles.PathOf(corpusPath));
        var path = Write("truncated.cbr", bytes[..(bytes.Length * 2 / 3)]);

        var result = ReadTimed(path);

        Assert.False(result.Succeeded);
        Assert.Equal(BookFormat.Cbr, result.Format);
        Assert.StartsWith("the archive is truncated", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ExternalEntitiesOverHttp_NeverConnect()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        var doctype = $"""<!DOCTYPE package SYSTEM "{url}/package.dtd" [<!ENTITY % remote SYSTEM "{url}/entities"> %remote;]>""";
        var opf = Opf("Title Beside A DTD").Replace("<package", doctype + "<package", StringComparison.Ordinal);
        var path = WriteEpub("dtd.epub", Encoding.UTF8.GetBytes(opf));

        var metadata = ReadMetadata(path);

        Assert.Equal("Title Beside A DTD", metadata.Title);
        Assert.False(listener.Pending(), "the reader connected to the DTD's URL");
    }

    private MetadataReadResult ReadTimed(string path)
    {
        var stopwatch = Stopwatch.StartNew();
        var result = _reader.Read(path, CancellationToken.None);
        Assert.True(stopwatch.Elapsed < MaxReadTime, $"Reading {path} took {stopwatch.Elapsed}");
        return result;
    }

    private BookMetadata ReadMetadata(string path)
    {
        var result = ReadTimed(path);
        Assert.True(result.Succeeded, $"Reading {path} failed: {result.Error}");
        return result.Metadata!;
    }

    private static string Opf(string title) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
          <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
            <dc:identifier id="id">urn:uuid:0d6b2b30-3c1a-4f5e-9a57-5f3c1d1c2b11</dc:identifier>
            <dc:title>{title}</dc:title>
            <dc:language>en</dc:language>
          </metadata>
        </package>
        """;

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string WriteEpub(string name, byte[] opf)
    {
        var path = Path.Combine(_folder, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        WriteEntry(zip, "mimetype", "application/epub+zip"u8.ToArray(), CompressionLevel.NoCompression);
        WriteEntry(zip, "META-INF/container.xml", Encoding.UTF8.GetBytes(Container), CompressionLevel.Optimal);
        WriteEntry(zip, "OEBPS/content.opf", opf, CompressionLevel.Optimal);
        return path;
    }

    private string WriteCbz(string name, byte[] comicInfo)
    {
        var path = Path.Combine(_folder, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        WriteEntry(zip, "001.jpg", [0xFF, 0xD8, 0xFF, 0xE0], CompressionLevel.NoCompression);
        WriteEntry(zip, "ComicInfo.xml", comicInfo, CompressionLevel.Optimal);
        return path;
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] content, CompressionLevel level)
    {
        using var stream = zip.CreateEntry(name, level).Open();
        stream.Write(content);
    }

    // Overwrites the uncompressed size of one entry in its local header and central directory record.
    private static void SetDeclaredSize(string path, string entryName, uint size)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Encoding.UTF8.GetBytes(entryName);
        for (var offset = 0; offset + 46 < bytes.Length; offset++)
        {
            var isCentralRecord = bytes.AsSpan(offset, 4).SequenceEqual("PK\x01\x02"u8);
            var nameLength = isCentralRecord ? BitConverter.ToUInt16(bytes, offset + 28) : 0;
            if (isCentralRecord && bytes.AsSpan(offset + 46, nameLength).SequenceEqual(name))
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(offset + 24), size);
                var localHeader = (int)BitConverter.ToUInt32(bytes, offset + 42);
                BitConverter.TryWriteBytes(bytes.AsSpan(localHeader + 22), size);
            }
        }

        File.WriteAllBytes(path, bytes);
    }
}
