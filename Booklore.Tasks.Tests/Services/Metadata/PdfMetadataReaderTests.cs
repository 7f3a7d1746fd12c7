using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Tests.Services.Metadata;

/// <summary>How the PDF reader chooses between the Info dictionary and XMP, and decodes Info strings.</summary>
public sealed class PdfMetadataReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("booklore-pdf-").FullName;
    private readonly BookFileReader _reader = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Read_XmpNewerThanInfo_TakesXmpValues()
    {
        var xmp = TestPdf.Xmp("Title in XMP", "Ann Lee", metadataDate: "2024-03-01T10:00:00Z");

        var metadata = Read(TestPdf.Create("/Title (Title in Info) /Author (Bob Ray) /ModDate (D:20230101000000Z)", xmp));

        Assert.Equal("Title in XMP", metadata.Title);
        Assert.Equal([new Contributor("Ann Lee")], metadata.Authors);
    }

    [Fact]
    public void Read_InfoNewerThanXmp_TakesInfoValues()
    {
        var xmp = TestPdf.Xmp("Title in XMP", "Ann Lee", metadataDate: "2020-01-01T00:00:00Z", modifyDate: "2021-06-01T00:00:00+02:00");

        var metadata = Read(TestPdf.Create("/Title (Title in Info) /Author (Bob Ray) /ModDate (D:20240101120000+01'00')", xmp));

        Assert.Equal("Title in Info", metadata.Title);
        Assert.Equal([new Contributor("Bob Ray")], metadata.Authors);
    }

    [Fact]
    public void Read_XmpModifyDateLaterThanInfo_TakesXmpValues()
    {
        // The later of xmp:MetadataDate and xmp:ModifyDate counts.
        var xmp = TestPdf.Xmp("Title in XMP", "Ann Lee", metadataDate: "2020-01-01T00:00:00Z", modifyDate: "2025-01-01T00:00:00Z");

        var metadata = Read(TestPdf.Create("/Title (Title in Info) /ModDate (D:20240101120000Z)", xmp));

        Assert.Equal("Title in XMP", metadata.Title);
    }

    [Fact]
    public void Read_NoDates_PrefersXmpAndFillsFromInfo()
    {
        var xmp = TestPdf.Xmp("Title in XMP", "Ann Lee");

        var metadata = Read(TestPdf.Create("/Title (Title in Info) /Subject (Only the Info dictionary has a subject)", xmp));

        Assert.Equal("Title in XMP", metadata.Title);
        Assert.Equal("Only the Info dictionary has a subject", metadata.Description);
    }

    [Fact]
    public void Read_XmpWithPdfStringEscapes_UnescapesThem()
    {
        var xmp = TestPdf.Xmp(@"Variations \(1868\)", @"Georges Bizet \(1838-1875\)");

        var metadata = Read(TestPdf.Create("/Producer (LilyPond)", xmp));

        Assert.Equal("Variations (1868)", metadata.Title);
        Assert.Equal([new Contributor("Georges Bizet (1838-1875)")], metadata.Authors);
    }

    [Fact]
    public void Read_PdfDocEncodedTitle_DecodesPunctuation()
    {
        // PDFDocEncoding: 0x8D and 0x8E are curly double quotes, 0x84 an em dash, 0x92 the
        // trade mark sign and 0xA0 the euro sign.
        var metadata = Read(TestPdf.Create(@"/Title (\215Quoted\216 \204 Brand\222 for 5\240)"));

        Assert.Equal("\u201CQuoted\u201D \u2014 Brand\u2122 for 5\u20AC", metadata.Title);
    }

    [Fact]
    public void Read_Utf16Title_DecodesIt()
    {
        // UTF-16BE with its byte order mark, as a hex string: "Ωmega".
        var metadata = Read(TestPdf.Create("/Title <FEFF03A9006D006500670061>"));

        Assert.Equal("\u03A9mega", metadata.Title);
    }

    [Fact]
    public async Task Read_CancelledInsideLargeDamagedPdf_StopsWithinASecond()
    {
        // Without a cross-reference table PdfPig searches the whole file for objects. Read from memory,
        // 96 MB sometimes took under 0.3 s, so the file is 256 MB (about 5 s uncancelled) and the
        // cancel comes after 200 ms. Only a cancel inside the file read or the parse ends it in time.
        var path = Path.Combine(_folder, "large-damaged.pdf");
        WriteLargePdfWithoutXref(path, 256);
        using var cancellation = new CancellationTokenSource();
        var read = Task.Run(() => _reader.Read(path, cancellation.Token), CancellationToken.None);
        await Task.Delay(200, CancellationToken.None);
        Assert.False(read.IsCompleted, "The read finished before the cancel; make the file larger.");

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"The read went on for {stopwatch.Elapsed.TotalSeconds:0.0} s after the cancel.");
    }

    /// <summary>A one-page PDF with a content stream of <paramref name="megabytes"/> MB of noise and no xref table.</summary>
    private static void WriteLargePdfWithoutXref(string path, int megabytes)
    {
        using var file = File.Create(path);
        void Write(string text) => file.Write(System.Text.Encoding.Latin1.GetBytes(text));
        Write("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        Write("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        Write("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n");
        Write($"4 0 obj\n<< /Length {megabytes << 20} >>\nstream\n");
        var noise = new byte[1 << 20];
        new Random(7).NextBytes(noise);
        for (var chunk = 0; chunk < megabytes; chunk++)
        {
            file.Write(noise);
        }

        Write("\nendstream\nendobj\n5 0 obj\n<< /Title (Large) >>\nendobj\n");
        Write("trailer\n<< /Size 6 /Root 1 0 R /Info 5 0 R >>\nstartxref\n999999999\n%%EOF\n");
    }

    private BookMetadata Read(byte[] pdf)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, pdf);
        var result = _reader.Read(path, CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        return result.Metadata!;
    }

    [Theory]
    [InlineData("D:20210615103000+02'00'", 2021, 6, 15)]
    [InlineData("D:202106", 2021, 6, null)]
    [InlineData("2021-06-15", 2021, 6, 15)]
    [InlineData("2021-06-15T10:30:00Z", 2021, 6, 15)]
    [InlineData("2021-06", 2021, 6, null)]
    public void ParsePdfDate_PdfOrIsoDate_KeepsPrecision(string text, int year, int? month, int? day)
    {
        Assert.Equal(new PartialDate(year, month, day), PdfMetadataReader.ParsePdfDate(text));
    }
}
