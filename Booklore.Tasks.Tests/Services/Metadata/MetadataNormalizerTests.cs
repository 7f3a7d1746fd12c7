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
    [InlineData("1a", null)]
    [InlineData("", null)]
    public void ParseSeriesNumber_Text_ReturnsInvariantDecimal(string text, string? expected)
    {
        decimal? expectedNumber = expected is null ? null : decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expectedNumber, MetadataNormalizer.ParseSeriesNumber(text));
    }
}
