using System.Text;
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
    /// <summary>Upper bound on the characters that entity references may produce.</summary>
    private const long MaxCharactersFromEntities = 1024 * 1024;

    /// <summary>
    /// Decodes the bytes (UTF-8, UTF-16 or UTF-32 with or without a BOM, or the encoding named
    /// in the XML declaration) and parses them. The declaration is removed first, because
    /// System.Xml rejects "version=1.1" and a declared encoding that the bytes contradict.
    /// </summary>
    /// <exception cref="XmlException">The text is not well-formed XML.</exception>
    public static XDocument Parse(byte[] bytes)
    {
        using var xmlReader = CreateReader(bytes);
        return XDocument.Load(xmlReader, LoadOptions.None);
    }

    /// <summary>
    /// Returns a reader over the decoded text with the same settings as <see cref="Parse"/>, for
    /// callers that need only a few values and do not build a document.
    /// </summary>
    public static XmlReader CreateReader(byte[] bytes)
    {
        var text = Decode(bytes);
        text = XmlDeclaration().Replace(text, string.Empty, 1);
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
        var encoding = DetectEncodingFromBom(bytes, out var bomLength)
            ?? DetectUnmarkedUnicode(bytes)
            ?? DeclaredEncoding(bytes)
            ?? new UTF8Encoding(false);

        return encoding.GetString(bytes, bomLength, bytes.Length - bomLength);
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
        if (name.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            return Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            // The name is unknown or unsupported, so fall back to UTF-8, the XML default.
            return null;
        }
    }

    [GeneratedRegex("""^\s*<\?xml[^>]*\?>""")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex("""^\s*<\?xml[^>]*encoding\s*=\s*["'](?<name>[A-Za-z0-9._:-]+)["']""")]
    private static partial Regex EncodingAttribute();
}
