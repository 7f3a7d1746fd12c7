using System.Text;
using System.Text.Unicode;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>
/// Parses untrusted XML from book files. DTDs are ignored and no resolver is set, so external
/// entities (XXE) are never fetched and entity expansion cannot blow up memory.
/// </summary>
internal static partial class SafeXml
{
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    /// <summary>Upper bound on the characters that entity references may produce.</summary>
    private const long MaxCharactersFromEntities = 1024 * 1024;

    /// <summary>
    /// Deepest element nesting accepted. Package documents, ComicInfo.xml and XMP packets nest
    /// about ten levels deep, while reading an OPF nested 100,000 levels took over a minute
    /// (with the streaming depth check below it fails in under a second).
    /// </summary>
    internal const int MaxDepth = 256;

    /// <summary>
    /// Decodes the bytes (UTF-8, UTF-16 or UTF-32 with or without a BOM, or the encoding named
    /// in the XML declaration) and parses them. The declaration is removed first, because
    /// System.Xml rejects "version=1.1" and a declared encoding that the bytes contradict.
    /// </summary>
    /// <exception cref="XmlException">The text is not well-formed XML, or nests elements deeper than <see cref="MaxDepth"/>.</exception>
    public static XDocument Parse(byte[] bytes)
    {
        // A streaming pass checks the depth first, because building the tree is the slow part.
        var text = DecodeWithoutDeclaration(bytes);
        using (var depthReader = CreateReader(text))
        {
            while (depthReader.Read())
            {
                if (depthReader.NodeType == XmlNodeType.Element && depthReader.Depth > MaxDepth)
                {
                    throw new XmlException($"The elements nest deeper than {MaxDepth} levels.", null,
                        (depthReader as IXmlLineInfo)?.LineNumber ?? 0, (depthReader as IXmlLineInfo)?.LinePosition ?? 0);
                }
            }
        }

        using var xmlReader = CreateReader(text);
        return XDocument.Load(xmlReader, LoadOptions.None);
    }

    /// <summary>
    /// Returns a reader over the decoded text with the same settings as <see cref="Parse"/>, for
    /// callers that need only a few values and do not build a document.
    /// </summary>
    public static XmlReader CreateReader(byte[] bytes) => CreateReader(DecodeWithoutDeclaration(bytes));

    private static string DecodeWithoutDeclaration(byte[] bytes) => XmlDeclaration().Replace(Decode(bytes), string.Empty, 1);

    private static XmlReader CreateReader(string text)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            MaxCharactersFromEntities = MaxCharactersFromEntities,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            CheckCharacters = false,
            CloseInput = true,
        };

        return XmlReader.Create(new StringReader(text), settings);
    }

    internal static string Decode(byte[] bytes)
    {
        var encoding = DetectEncodingFromBom(bytes, out var bomLength) ?? DetectUnmarkedUnicode(bytes);
        if (encoding is not null)
        {
            return encoding.GetString(bytes, bomLength, bytes.Length - bomLength);
        }

        // Text that is valid UTF-8 and not plain ASCII is UTF-8 whatever encoding the declaration names,
        // because Latin-1 text is valid UTF-8 only where a letter such as "Ã" is followed by a
        // symbol from A0-BF such as "©", which real titles do not contain.
        var isUtf8 = Utf8.IsValid(bytes);
        var declared = DeclaredEncoding(bytes);
        if (declared is not null && !(isUtf8 && bytes.AsSpan().ContainsAnyExceptInRange((byte)0, (byte)0x7F)))
        {
            return declared.GetString(bytes);
        }

        // Bytes that are not valid UTF-8 are most often Windows-1252 (a superset of Latin-1)
        // from a tool that wrote no declaration, so decode them as that rather than as U+FFFD.
        return isUtf8 ? new UTF8Encoding(false).GetString(bytes) : Windows1252.GetString(bytes);
    }

    private static Encoding? DetectEncodingFromBom(byte[] bytes, out int bomLength)
    {
        (Encoding? Encoding, int Length) match = bytes switch
        {
            [0xFF, 0xFE, 0x00, 0x00, ..] => (new UTF32Encoding(false, false), 4),
            [0x00, 0x00, 0xFE, 0xFF, ..] => (new UTF32Encoding(true, false), 4),
            [0xEF, 0xBB, 0xBF, ..] => (new UTF8Encoding(false), 3),
            [0xFF, 0xFE, ..] => (new UnicodeEncoding(false, false), 2),
            [0xFE, 0xFF, ..] => (new UnicodeEncoding(true, false), 2),
            _ => (null, 0),
        };

        bomLength = match.Length;
        return match.Encoding;
    }

    // UTF-32 and UTF-16 without a BOM still start with "<", so the zero bytes around 3C show the
    // encoding and byte order. UTF-32 is tested first because its pattern also fits UTF-16.
    private static Encoding? DetectUnmarkedUnicode(byte[] bytes) => bytes switch
    {
        [0x3C, 0x00, 0x00, 0x00, ..] => new UTF32Encoding(false, false),
        [0x00, 0x00, 0x00, 0x3C, ..] => new UTF32Encoding(true, false),
        [0x3C, 0x00, _, 0x00, ..] => new UnicodeEncoding(false, false),
        [0x00, 0x3C, 0x00, _, ..] => new UnicodeEncoding(true, false),
        _ => null,
    };

    private static Encoding? DeclaredEncoding(byte[] bytes)
    {
        var head = Encoding.ASCII.GetString(bytes, 0, Math.Min(bytes.Length, 200));
        var match = EncodingAttribute().Match(head);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value;
        Encoding encoding;
        try
        {
            // The runtime provides only the Unicode encodings, ASCII and Latin-1 by itself, and
            // the code-page provider adds Windows-125x, KOI8-R, Shift_JIS and the other code pages.
            encoding = CodePagesEncodingProvider.Instance.GetEncoding(name) ?? Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            // The name is unknown or unsupported, so fall back to UTF-8, the XML default.
            return null;
        }

        // Bytes without a BOM or the zero bytes of UTF-16 and UTF-32 are not in those encodings,
        // so a declared "utf-16" is wrong. XML serialised through a .NET StringWriter declares
        // utf-16 and is often saved as UTF-8.
        return encoding is UTF8Encoding or UnicodeEncoding or UTF32Encoding ? null : encoding;
    }

    [GeneratedRegex("""^\s*<\?xml[^>]*\?>""")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex("""^\s*<\?xml[^>]*encoding\s*=\s*["'](?<name>[A-Za-z0-9._:-]+)["']""")]
    private static partial Regex EncodingAttribute();
}
