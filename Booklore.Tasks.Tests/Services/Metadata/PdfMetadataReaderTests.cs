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
