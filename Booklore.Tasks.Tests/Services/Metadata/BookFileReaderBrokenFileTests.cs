using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Tests.TestSupport;
using static Booklore.Tasks.Tests.Services.Metadata.CorpusCases;

namespace Booklore.Tasks.Tests.Services.Metadata;

/// <summary>Malformed, truncated, encrypted and unsupported files from the corpus.</summary>
public sealed class BookFileReaderBrokenFileTests
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(20);

    [Theory]
    [MemberData(nameof(BrokenFiles), MemberType = typeof(CorpusCases))]
    public async Task Read_BrokenFile_ReturnsFailureReasonOrMetadata(string path)
    {
        // Read on a worker so that a parser loop fails the test instead of hanging the run.
        var read = Task.Run(() => new BookFileReader().Read(CorpusFiles.PathOf(path), CancellationToken.None));

        var finished = await Task.WhenAny(read, Task.Delay(ReadTimeout));
        Assert.True(finished == read, $"Reading {path} did not finish within {ReadTimeout}");
        var result = await read;
        Assert.Equal(result.Succeeded, result.Error is null);
        Assert.True(result.Succeeded || !string.IsNullOrWhiteSpace(result.Error), $"{path} failed without a reason");
    }

    [Theory]
    [InlineData("broken/comics/comicbox_empty.cbz", BookFormat.Cbz)]
    [InlineData("broken/comics/kavita_empty.cbz", BookFormat.Cbz)]
    [InlineData("broken/comics/kavita_winrar.cbr", BookFormat.Cbr)]
    public void Read_EmptyArchive_ReturnsZeroPages(string path, BookFormat format)
    {
        var result = Read(path);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(format, result.Format);
        Assert.Equal(0, result.Metadata!.PageCount);
    }

    [Theory]
    [InlineData("broken/comics/komga_7zip-encrypted.cb7")]
    [InlineData("broken/comics/komga_rar5-encrypted.cbr")]
    [InlineData("broken/comics/komga_zip-encrypted.cbz")]
    public void Read_EncryptedArchive_ReturnsEncryptedFailure(string path)
    {
        var result = Read(path);

        Assert.False(result.Succeeded);
        Assert.Equal("the archive is encrypted", result.Error);
    }

    [Fact]
    public void Read_RarEntryPastEndOfFile_ReturnsTruncatedFailure()
    {
        // The header claims a 155 MB entry in a 512-byte file.
        var result = Read("broken/comics/sharpcompress_Rar.malformed_512byte.cbr");

        Assert.False(result.Succeeded);
        Assert.Equal(BookFormat.Cbr, result.Format);
        Assert.Equal("the archive is truncated: the entry 'dist/files/bin/res/common.pak' ends after the end of the file", result.Error);
    }

    [Theory]
    [InlineData("broken/pdf/encrypted-password-is-password.pdf")]
    [InlineData("broken/pdf/libreoffice-writer-password.pdf")]
    public void Read_PdfWithUserPassword_ReturnsPasswordFailure(string path)
    {
        var result = Read(path);

        Assert.False(result.Succeeded);
        Assert.Equal(BookFormat.Pdf, result.Format);
        Assert.Equal("the PDF is password protected", result.Error);
    }

    [Theory]
    [InlineData("broken/pdf/r4_aes_empty_string.pdf", null)]
    [InlineData("broken/pdf/test-bom-encrypted.pdf", "Test Document")]
    public void Read_PdfWithEmptyUserPassword_ReturnsMetadata(string path, string? title)
    {
        var metadata = ReadMetadata(path);

        Assert.Equal(title, metadata.Title);
        Assert.Equal(1, metadata.PageCount);
    }

    [Fact]
    public void Read_PdfWithEncryptedKeywords_DropsControlCharacters()
    {
        var metadata = ReadMetadata("broken/pdf/test-bom-encrypted.pdf");

        Assert.Contains("4 sample keywords for testing encrypted PDF string decryption", metadata.Subjects);
    }

    [Theory]
    [InlineData("broken/pdf/invalid-xref-loop.pdf", 1)]
    [InlineData("broken/pdf/info_dictionary.pdf", 1)]
    [InlineData("broken/pdf/EmptyPdf.pdf", 1)]
    public void Read_DamagedPdf_RecoversPageCount(string path, int pageCount)
    {
        var metadata = ReadMetadata(path);

        Assert.Equal(pageCount, metadata.PageCount);
    }

    [Theory]
    [InlineData("broken/epub/epubcheck_ocf-zip-unreadable-empty.epub", "is empty (0 bytes)")]
    [InlineData("broken/epub/epubcheck_ocf-zip-unreadable-no-end-header.epub", "the zip is truncated or corrupt")]
    [InlineData("broken/epub/epubcheck_ocf-package-document-missing.epub", "the EPUB has no package document (OPF)")]
    public void Read_UnreadableEpub_ReturnsReason(string path, string reason)
    {
        var result = Read(path);

        Assert.False(result.Succeeded);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("broken/epub/epubcheck_ocf-container-file-missing.epub", "Minimal EPUB 3.0")]
    [InlineData("broken/epub/epubcheck_opf-legacy-oebps12.epub", "Minimal EPUB 2.0")]
    [InlineData("broken/epub/versone_Workarounds_Xml11.epub", "Test title")]
    [InlineData("broken/epub/w3c_pub-xml-external-id.epub", "pub-xml-external-id")]
    public void Read_LenientlyReadableEpub_ReturnsTitle(string path, string title)
    {
        var metadata = ReadMetadata(path);

        Assert.Equal(title, metadata.Title);
    }

    [Fact]
    public void Read_PlainZipNamedEpub_OpensAsComic()
    {
        var result = Read("broken/epub/komga_zip-as-epub.epub");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(BookFormat.Cbz, result.Format);
        Assert.Equal(1, result.Metadata!.PageCount);
    }

    [Theory]
    [InlineData("broken/opf/xml-encoding-latin1-declaration-error.opf")]
    [InlineData("broken/opf/xml-encoding-utf32-BOM-error.opf")]
    public void Parse_OpfInNonUtf8Encoding_ReturnsTitleAndLanguage(string path)
    {
        var metadata = OpfMetadataParser.Parse(File.ReadAllBytes(CorpusFiles.PathOf(path)));

        Assert.Equal("Minimal EPUB 3.0", metadata.Title);
        Assert.Equal("en", metadata.Language);
    }

    [Theory]
    [MemberData(nameof(UnsupportedFiles), MemberType = typeof(CorpusCases))]
    public void Read_UnsupportedFormat_ReturnsFailureNamingFile(string path)
    {
        var result = Read(path);

        Assert.False(result.Succeeded);
        Assert.Equal(BookFormat.Unknown, result.Format);
        Assert.Contains(Path.GetFileName(path), result.Error, StringComparison.Ordinal);
    }
}
