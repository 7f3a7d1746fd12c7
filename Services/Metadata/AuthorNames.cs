using System.Text.RegularExpressions;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>Splits one free-text author field, such as a PDF's /Author, into names.</summary>
internal static partial class AuthorNames
{
    private static readonly HashSet<string> NameSuffixes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV", "PhD", "Ph.D.", "MD", "M.D.",
    };

    /// <summary>
    /// Splits on ";", "&amp;" and the word "and". A part is split on "," only when it contains
    /// more than one comma ("Lee, Ray, Cho"). One comma is an inverted name, so "Lee, Ann",
    /// "Le Guin, Ursula K." and "Ann Lee, Bob Ray" stay whole, and so does "King, Martin Luther, Jr.".
    /// </summary>
    public static IReadOnlyList<string> Split(string? authors)
    {
        if (MetadataNormalizer.CleanText(authors) is not { } text)
        {
            return [];
        }

        var names = new List<string>();
        foreach (var part in ListSeparator().Split(text))
        {
            names.AddRange(SplitCommaList(part));
        }

        return MetadataNormalizer.CleanDistinct(names);
    }

    private static string[] SplitCommaList(string part)
    {
        var pieces = part.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var isInvertedWithSuffix = pieces.Length == 3 && NameSuffixes.Contains(pieces[2]);
        return pieces.Length > 2 && !isInvertedWithSuffix ? pieces : [part];
    }

    // A comma before the separator is part of it, as in the serial comma of "A, B, and C".
    [GeneratedRegex(@"\s*,?\s*(?:;|&|\band\b)\s*", RegexOptions.IgnoreCase)]
    private static partial Regex ListSeparator();
}
