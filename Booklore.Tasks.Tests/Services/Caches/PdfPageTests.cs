using System.Buffers.Binary;
using Booklore.Tasks.Services.Caches;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Tests.Services.Caches;

public sealed class PdfPageTests : IDisposable
{
    private static readonly byte[] PngMagic = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly List<CacheTestHost> _hosts = [];

    [Theory]
    [InlineData("auto")]
    [InlineData("mutool")]
    [InlineData("pdftoppm")]
    public async Task GetPageAsync_InstalledRenderer_ReturnsPngAtWidth(string renderer)
    {
        var host = CreateHost(renderer);
        var book = CacheTestHost.CorpusBook(1, "pdf/pypdf/pdflatex-4-pages.pdf", BookFormat.Pdf);

        var page = await host.ReadPageAsync(book, 2, 800);

        Assert.Equal(PngMagic, page[..8]);
        Assert.Equal(800, PngWidth(page));
    }

    [Theory]
    [InlineData(50, PdfPageRenderer.MinWidth)]
    [InlineData(10_000, PdfPageRenderer.MaxWidth)]
    [InlineData(null, PdfPageRenderer.DefaultWidth)]
    public async Task GetPageAsync_WidthOutsideLimits_IsClamped(int? requested, int expected)
    {
        var host = CreateHost("auto");
        var book = CacheTestHost.CorpusBook(2, "pdf/pypdf/pdflatex-4-pages.pdf", BookFormat.Pdf);

        var page = await host.ReadPageAsync(book, 1, requested);

        Assert.Equal(expected, PngWidth(page));
    }

    [Fact]
    public async Task GetPageAsync_PagePastEnd_ReturnsNotFoundWithCount()
    {
        var host = CreateHost("auto");
        var book = CacheTestHost.CorpusBook(3, "pdf/pypdf/pdflatex-4-pages.pdf", BookFormat.Pdf);

        var result = await host.Pages.GetPageAsync(book, 5, null, CancellationToken.None);

        Assert.Equal(4, Assert.IsType<BookPageNotFound>(result).PageCount);
    }

    [Fact]
    public async Task GetPageAsync_SecondRequest_ServesCachedFile()
    {
        var host = CreateHost("auto");
        var book = CacheTestHost.CorpusBook(4, "pdf/kavita/test.pdf", BookFormat.Pdf);
        var first = await host.Pages.GetPageAsync(book, 1, 640, CancellationToken.None);
        var firstPage = Assert.IsType<BookPageFound>(first);
        await firstPage.Content.DisposeAsync();
        var writeTime = File.GetLastWriteTimeUtc(firstPage.FilePath);

        var second = await host.Pages.GetPageAsync(book, 1, 640, CancellationToken.None);

        var secondPage = Assert.IsType<BookPageFound>(second);
        await secondPage.Content.DisposeAsync();
        Assert.Equal(firstPage.FilePath, secondPage.FilePath);
        Assert.Equal(writeTime, File.GetLastWriteTimeUtc(secondPage.FilePath));
        Assert.Equal("image/png", secondPage.ContentType);
    }

    [Fact]
    public async Task GetPageAsync_EncryptedPdf_ThrowsBookPageException()
    {
        var host = CreateHost("auto");
        var book = CacheTestHost.CorpusBook(5, "broken/pdf/encrypted-password-is-password.pdf", BookFormat.Pdf);

        await Assert.ThrowsAsync<BookPageException>(() => host.Pages.GetPageAsync(book, 1, null, CancellationToken.None));
    }

    [Fact]
    public void FindTool_NoRendererOnPath_ThrowsWithInstallHint()
    {
        var exception = Assert.Throws<PdfRendererNotFoundException>(() => PdfPageRenderer.FindTool("auto", "/nonexistent"));

        Assert.Equal("No PDF renderer found: install the Debian package mupdf-tools or poppler-utils", exception.Message);
    }

    [Fact]
    public void FindTool_ConfiguredRendererMissing_NamesItsPackage()
    {
        var exception = Assert.Throws<PdfRendererNotFoundException>(() => PdfPageRenderer.FindTool("pdftoppm", "/nonexistent"));

        Assert.Contains("poppler-utils", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindTool_Auto_PrefersMutool()
    {
        var tool = PdfPageRenderer.FindTool("auto", Environment.GetEnvironmentVariable("PATH") ?? "");

        Assert.Equal("mutool", tool.Name);
    }

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }
    }

    private CacheTestHost CreateHost(string renderer)
    {
        var host = new CacheTestHost(new CacheOptions { PdfRenderer = renderer });
        _hosts.Add(host);
        return host;
    }

    private static int PngWidth(byte[] png) => BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4));
}
