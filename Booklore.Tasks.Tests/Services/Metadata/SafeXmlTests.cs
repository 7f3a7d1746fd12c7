using System.Text;
using System.Xml;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Tests.Services.Metadata;

public sealed class SafeXmlTests
{
    [Fact]
    public void Parse_ExternalEntity_DoesNotResolveIt()
    {
        var secretPath = Path.GetTempFileName();
        File.WriteAllText(secretPath, "secret");
        var xml = $"""<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file://{secretPath}">]><t>&x;</t>""";

        var exception = Record.Exception(() => SafeXml.Parse(Encoding.UTF8.GetBytes(xml)));

        // Ignoring the DTD leaves &x; undefined, which is an error rather than the file's text.
        Assert.IsType<XmlException>(exception);
        File.Delete(secretPath);
    }

    [Fact]
    public void Parse_EntityExpansionBomb_FailsWithoutExpanding()
    {
        var xml = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
            <lolz>&c;</lolz>
            """;

        Assert.Throws<XmlException>(() => SafeXml.Parse(Encoding.UTF8.GetBytes(xml)));
    }

    [Fact]
    public void Parse_Xml11Declaration_ParsesAsXml10()
    {
        var document = SafeXml.Parse(Encoding.UTF8.GetBytes("""<?xml version="1.1" encoding="UTF-8"?><t>x</t>"""));

        Assert.Equal("x", document.Root!.Value);
    }

    [Fact]
    public void Parse_Utf16WithoutBom_DetectsEncoding()
    {
        var bytes = new UnicodeEncoding(bigEndian: true, byteOrderMark: false).GetBytes("<t>é</t>");

        var document = SafeXml.Parse(bytes);

        Assert.Equal("é", document.Root!.Value);
    }

    [Fact]
    public void Parse_DeclaredLatin1_DecodesAccents()
    {
        var bytes = Encoding.Latin1.GetBytes("""<?xml version="1.0" encoding="ISO-8859-1"?><t>é</t>""");

        var document = SafeXml.Parse(bytes);

        Assert.Equal("é", document.Root!.Value);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("UTF-32")]
    [InlineData("ISO-8859-1")]
    public void Parse_WrongDeclarationOnUtf8_DecodesUtf8(string declared)
    {
        var bytes = Encoding.UTF8.GetBytes($"""<?xml version="1.0" encoding="{declared}"?><t>Café Ünïcode</t>""");

        var document = SafeXml.Parse(bytes);

        Assert.Equal("Café Ünïcode", document.Root!.Value);
    }

    [Fact]
    public void Parse_DeclaredWindows1252_DecodesCurlyQuotes()
    {
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding(1252)!
            .GetBytes("""<?xml version="1.0" encoding="windows-1252"?><t>“Café”</t>""");

        var document = SafeXml.Parse(bytes);

        Assert.Equal("“Café”", document.Root!.Value);
    }

    [Fact]
    public void Parse_InvalidUtf8WithoutDeclaration_DecodesAsWindows1252()
    {
        var bytes = Encoding.Latin1.GetBytes("<t>Café</t>");

        var document = SafeXml.Parse(bytes);

        Assert.Equal("Café", document.Root!.Value);
    }

    [Fact]
    public void Parse_AsciiDeclaredLatin1_KeepsDeclaration()
    {
        var bytes = Encoding.Latin1.GetBytes("""<?xml version="1.0" encoding="ISO-8859-1"?><t>plain</t>""");

        var document = SafeXml.Parse(bytes);

        Assert.Equal("plain", document.Root!.Value);
    }

    [Fact]
    public void Parse_NestingAtLimit_Parses()
    {
        var depth = SafeXml.MaxDepth;
        var xml = string.Concat(Enumerable.Repeat("<a>", depth + 1)) + "x" + string.Concat(Enumerable.Repeat("</a>", depth + 1));

        var document = SafeXml.Parse(Encoding.UTF8.GetBytes(xml));

        Assert.Equal("x", document.Root!.Value);
    }

    [Fact]
    public void Parse_NestingPastLimit_Throws()
    {
        var depth = SafeXml.MaxDepth + 1;
        var xml = string.Concat(Enumerable.Repeat("<a>", depth + 1)) + string.Concat(Enumerable.Repeat("</a>", depth + 1));

        var exception = Assert.Throws<XmlException>(() => SafeXml.Parse(Encoding.UTF8.GetBytes(xml)));

        Assert.Contains($"deeper than {SafeXml.MaxDepth} levels", exception.Message, StringComparison.Ordinal);
    }
}
