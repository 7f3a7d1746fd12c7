using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Tests.Services.Metadata;

public sealed class MetadataNormalizerTests
{
    [Theory]
    [InlineData("  Moby   Dick \n", "Moby Dick")]
    [InlineData("komga\0", "komga")]
    [InlineData(" \t\n ", null)]
    [InlineData(null, null)]
    public void CleanText_Whitespace_CollapsesAndTrims(string? text, string? expected)
    {
        Assert.Equal(expected, MetadataNormalizer.CleanText(text));
    }

    [Theory]
    [InlineData("978-0-553-89784-5", "9780553897845")]
    [InlineData("urn:isbn:9780553897845", "9780553897845")]
    [InlineData("ISBN 0-553-89784-5", "9780553897845")]
    [InlineData("080442957X", "9780804429573")]
    [InlineData("9781234567890", null)]
    [InlineData("0553897840", null)]
    [InlineData("12345", null)]
    public void NormalizeIsbn13_Value_ReturnsValidatedIsbn13(string text, string? expected)
    {
        Assert.Equal(expected, MetadataNormalizer.NormalizeIsbn13(text));
    }

    [Theory]
    [InlineData("9780553897845", "0553897845")]
    [InlineData("9780804429573", "080442957X")]
    [InlineData("9791032305690", null)]
    public void NormalizeIsbn10_Isbn13_ConvertsOnlyWith978Prefix(string text, string? expected)
    {
        Assert.Equal(expected, MetadataNormalizer.NormalizeIsbn10(text));
    }

    [Theory]
    [InlineData("eng", "en")]
    [InlineData("English", "en")]
    [InlineData("en", "en")]
    [InlineData("en-us", "en-US")]
    [InlineData("en_US", "en-US")]
    [InlineData("ger", "de")]
    [InlineData("zh-hant-tw", "zh-Hant-TW")]
    [InlineData("EN_us", "en-US")]
    [InlineData("ENGLISH", "en")]
    [InlineData("not a language", "not a language")]
    [InlineData("", null)]
    public void NormalizeLanguage_Code_ReturnsBcp47Tag(string text, string? expected)
    {
        Assert.Equal(expected, MetadataNormalizer.NormalizeLanguage(text));
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1.0", "1")]
    [InlineData("1.5", "1.5")]
    [InlineData("1,5", "1.5")]
    [InlineData("½", "0.5")]
    [InlineData("1½", "1.5")]
    [InlineData("¼", "0.25")]
    [InlineData("-1", "-1")]
    [InlineData("1e309", null)]
    [InlineData("1.5½", null)]
    [InlineData("1,000.5", null)]
    [InlineData("99999999999999999999999999999999", null)]
    [InlineData("1a", null)]
    [InlineData("", null)]
    public void ParseSeriesNumber_Text_ReturnsInvariantDecimal(string text, string? expected)
    {
        decimal? expectedNumber = expected is null ? null : decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expectedNumber, MetadataNormalizer.ParseSeriesNumber(text));
    }

    [Theory]
    [InlineData("2021", 2021, null, null)]
    [InlineData("2021-06", 2021, 6, null)]
    [InlineData("2021-06-15", 2021, 6, 15)]
    [InlineData("2021-06-15T10:00:00Z", 2021, 6, 15)]
    [InlineData("2021-02-30", 2021, 2, null)]
    [InlineData("2021-13-01", 2021, null, null)]
    [InlineData("2021-+6-01", 2021, null, null)]
    public void PartialDateTryParse_Text_KeepsValidPrecision(string text, int year, int? month, int? day)
    {
        Assert.Equal(new PartialDate(year, month, day), PartialDate.TryParse(text));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("+202")]
    [InlineData("0000")]
    [InlineData("20210615")]
    [InlineData("June 2021")]
    public void PartialDateTryParse_Garbage_ReturnsNull(string text)
    {
        Assert.Null(PartialDate.TryParse(text));
    }

    [Fact]
    public void IdentifierCollector_InvalidIsbn_KeepsPlainIdentifier()
    {
        var collector = new IdentifierCollector();

        collector.Add("ISBN", "978-0-306-40615-8");

        Assert.Null(collector.Isbn13);
        Assert.Null(collector.Isbn10);
        Assert.Equal([new BookIdentifier("isbn", "978-0-306-40615-8")], collector.Identifiers);
    }

    [Theory]
    [InlineData("0-306-40615-2", "9780306406157", "0306406152")]
    [InlineData("978-0-306-40615-7", "9780306406157", "0306406152")]
    [InlineData("979-10-90636-07-1", "9791090636071", null)]
    public void IdentifierCollector_ValidIsbn_StoresBothForms(string value, string isbn13, string? isbn10)
    {
        var collector = new IdentifierCollector();

        collector.Add("ISBN", value);

        Assert.Equal(isbn13, collector.Isbn13);
        Assert.Equal(isbn10, collector.Isbn10);
        Assert.Empty(collector.Identifiers);
    }
}
