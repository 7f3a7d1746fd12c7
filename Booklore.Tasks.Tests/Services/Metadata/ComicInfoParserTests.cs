using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Tests.Services.Metadata;

public sealed class ComicInfoParserTests
{
    [Fact]
    public void Parse_Version21Elements_ReadsTranslatorTagsAndGtin()
    {
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <ComicInfo>
              <Title>Hoshi no Koe</Title>
              <Writer>Makoto Shinkai</Writer>
              <Translator>Ann Lee, Bob Ray</Translator>
              <Tags>space, letters</Tags>
              <GTIN>978-0-306-40615-7</GTIN>
            </ComicInfo>
            """u8.ToArray();

        var metadata = ComicInfoParser.Parse(xml);

        Assert.Equal(
            [new Contributor("Makoto Shinkai", "writer"), new Contributor("Ann Lee", "translator"), new Contributor("Bob Ray", "translator")],
            metadata.Authors);
        Assert.Equal(["space", "letters"], metadata.Subjects);
        Assert.Equal("9780306406157", metadata.Isbn13);
    }
}
