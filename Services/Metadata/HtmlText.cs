using System.Net;
using System.Text.RegularExpressions;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>Reduces the HTML found in book descriptions to plain text.</summary>
internal static partial class HtmlText
{
    /// <summary>
    /// Strips tags, decodes entities and collapses whitespace. Block elements (p, div, br, li,
    /// headings) become line breaks, and each line is trimmed; empty lines are dropped. Returns
    /// null when no text remains, for example for a description of only "&lt;p&gt;".
    /// </summary>
    public static string? ToPlainText(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return null;
        }

        // Most descriptions are plain text, which needs neither regular expression.
        var text = html;
        if (html.Contains('<', StringComparison.Ordinal))
        {
            text = BlockTag().Replace(text, "\n");
            text = AnyTag().Replace(text, string.Empty);
        }

        text = WebUtility.HtmlDecode(text);
        var lines = text.Split('\n')
            .Select(MetadataNormalizer.CleanText)
            .OfType<string>();

        var joined = string.Join('\n', lines);
        return joined.Length == 0 ? null : joined;
    }

    [GeneratedRegex(@"<\s*(br|/?p|/?div|/?li|/?h[1-6]|/?blockquote|/?tr)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockTag();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex AnyTag();
}
