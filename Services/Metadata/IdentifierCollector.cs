using System.Text.RegularExpressions;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>
/// Sorts the identifiers of one book into ISBN-10, ISBN-13 and other (scheme, value) pairs.
/// Not thread-safe: create one per file.
/// </summary>
internal sealed partial class IdentifierCollector
{
    /// <summary>Scheme given to identifiers whose scheme the file does not state.</summary>
    public const string UnknownScheme = "unknown";

    private const string IsbnScheme = "isbn";

    // Prefixes recognised inside a value ("GOODREADS:71348", "calibre:255"). "http" and
    // "https" are deliberately absent so that URLs are not split at their colon.
    private static readonly HashSet<string> KnownSchemes = new(StringComparer.OrdinalIgnoreCase)
    {
        "isbn", "isbn10", "isbn13", "uuid", "calibre", "goodreads", "google", "amazon", "asin", "mobi-asin",
        "barnesnoble", "comicvine", "doi", "issn", "uri", "url", "kobo", "isfdb", "openlibrary",
        "librarything", "hardcover", "lccn", "oclc", "gtin", "ean", "upc", "metron", "anilist", "mal",
    };

    private static readonly Dictionary<string, string> SchemeAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["asin"] = "amazon",
        ["mobi-asin"] = "amazon",
        ["isbn10"] = IsbnScheme,
        ["isbn13"] = IsbnScheme,
        ["isbn-10"] = IsbnScheme,
        ["isbn-13"] = IsbnScheme,
        ["url"] = "uri",
    };

    private static readonly HashSet<string> IsbnLikeSchemes = new(StringComparer.OrdinalIgnoreCase)
    {
        IsbnScheme, "gtin", "ean",
    };

    private readonly List<BookIdentifier> _identifiers = [];
    private readonly HashSet<BookIdentifier> _seen = [];

    public string? Isbn10 { get; private set; }

    public string? Isbn13 { get; private set; }

    public IReadOnlyList<BookIdentifier> Identifiers => _identifiers;

    /// <summary>
    /// Adds one identifier. The scheme comes from <paramref name="declaredScheme"/> when the file
    /// states one, else from a "urn:scheme:" or "scheme:" prefix in the value. Values declared as
    /// ISBN, and bare 10- or 13-digit values, become the ISBN when the check digit is valid. An
    /// invalid ISBN is kept as an ("isbn", value) identifier. The first valid ISBN wins.
    /// </summary>
    public void Add(string? declaredScheme, string? rawValue)
    {
        var value = MetadataNormalizer.CleanText(rawValue);
        if (value is null)
        {
            return;
        }

        var scheme = CanonicalScheme(MetadataNormalizer.CleanText(declaredScheme));
        if (scheme is null)
        {
            (scheme, value) = SplitPrefix(value);
        }
        else
        {
            value = StripOwnPrefix(scheme, value);
        }

        if (scheme is null || IsbnLikeSchemes.Contains(scheme))
        {
            var isbn13 = MetadataNormalizer.NormalizeIsbn13(value);
            if (isbn13 is not null && (Isbn13 is null || Isbn13 == isbn13))
            {
                Isbn13 = isbn13;
                Isbn10 = MetadataNormalizer.NormalizeIsbn10(value);
                return;
            }

            // A second, different ISBN (another edition) is kept as a plain identifier.
            if (isbn13 is not null)
            {
                (scheme, value) = (IsbnScheme, isbn13);
            }
        }

        scheme ??= Guid.TryParse(value, out _) ? "uuid" : UnknownScheme;
        var identifier = new BookIdentifier(scheme, value);
        if (_seen.Add(identifier))
        {
            _identifiers.Add(identifier);
        }
    }

    private static (string? Scheme, string Value) SplitPrefix(string value)
    {
        var urn = UrnPattern().Match(value);
        if (urn.Success)
        {
            return (CanonicalScheme(urn.Groups["scheme"].Value), urn.Groups["value"].Value);
        }

        var prefixed = PrefixPattern().Match(value);
        if (prefixed.Success && KnownSchemes.Contains(prefixed.Groups["scheme"].Value))
        {
            return (CanonicalScheme(prefixed.Groups["scheme"].Value), prefixed.Groups["value"].Value.Trim());
        }

        if (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return ("uri", value);
        }

        return (null, value);
    }

    private static string StripOwnPrefix(string scheme, string value)
    {
        var (prefix, rest) = SplitPrefix(value);
        return prefix == scheme ? rest : value;
    }

    private static string? CanonicalScheme(string? scheme)
    {
        if (scheme is null)
        {
            return null;
        }

        var lower = scheme.ToLowerInvariant();
        return SchemeAliases.TryGetValue(lower, out var alias) ? alias : lower;
    }

    [GeneratedRegex("^urn:(?<scheme>[A-Za-z0-9-]+):(?<value>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex UrnPattern();

    [GeneratedRegex("^(?<scheme>[A-Za-z][A-Za-z0-9_-]*):(?<value>.+)$")]
    private static partial Regex PrefixPattern();
}
