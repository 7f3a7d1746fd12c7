using System.Text.RegularExpressions;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>Splits one free-text author field, such as a PDF's /Author, into names.</summary>
internal static partial class AuthorNames
{
    /// <summary>
    /// Splits on ";", "&amp;" and the word "and". A part is split on "," only when it is clearly a
    /// list: it contains more than one comma, or every comma-separated piece contains a space
    /// ("Ann Lee, Bob Ray"). A single inverted name ("Lee, Ann" or "Tolkien, J. R. R.") stays whole.
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
        var isList = pieces.Length > 2 || (pieces.Length == 2 && pieces.All(piece => piece.Contains(' ', StringComparison.Ordinal)));
        return isList ? pieces : [part];
    }

    [GeneratedRegex(@"\s*(?:;|&|\band\b)\s*", RegexOptions.IgnoreCase)]
    private static partial Regex ListSeparator();
}
