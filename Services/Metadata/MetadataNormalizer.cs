using System.Globalization;
using System.Text;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>
/// Normalisation rules shared by every reader and by code that compares stored values with
/// file values, so that the same value written two ways compares equal.
/// </summary>
public static class MetadataNormalizer
{
    /// <summary>
    /// Collapses runs of whitespace to one space, trims, and drops control characters such as
    /// the NUL that some PDF producers append. Returns null for empty or whitespace-only text.
    /// </summary>
    public static string? CleanText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var character in text)
        {
            if (char.IsWhiteSpace(character))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (char.IsControl(character))
            {
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(character);
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>Cleans each value, drops empty ones and keeps the first of case-insensitive duplicates.</summary>
    public static IReadOnlyList<string> CleanDistinct(IEnumerable<string?> values)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values)
        {
            var cleaned = CleanText(value);
            if (cleaned is not null && seen.Add(cleaned))
            {
                result.Add(cleaned);
            }
        }

        return result;
    }

    /// <summary>
    /// Parses a series number such as "1", "1.0", "1.5" or "1½" with the invariant culture ("1,5"
    /// is also accepted). Returns null for empty or non-numeric text such as "1a" or "1e309".
    /// </summary>
    public static decimal? ParseSeriesNumber(string? text)
    {
        var cleaned = CleanText(text)?.Replace(',', '.');
        if (cleaned is null)
        {
            return null;
        }

        // A vulgar fraction character ends numbers such as "½" or "1½" in manga and comic series.
        var fraction = 0m;
        var last = cleaned[^1];
        if (CharUnicodeInfo.GetUnicodeCategory(last) == UnicodeCategory.OtherNumber
            && char.GetNumericValue(last) is > 0 and < 1 and var value)
        {
            fraction = (decimal)value;
            cleaned = cleaned[..^1];
            if (cleaned.Length == 0)
            {
                return fraction;
            }
        }

        return decimal.TryParse(cleaned, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign,
            CultureInfo.InvariantCulture, out var number) && !(fraction > 0 && cleaned.Contains('.', StringComparison.Ordinal))
            ? number + (number < 0 ? -fraction : fraction)
            : null;
    }

    /// <summary>Parses a whole number written with invariant digits; null for empty or invalid text.</summary>
    public static int? ParseInteger(string? text)
    {
        var cleaned = CleanText(text);
        return int.TryParse(cleaned, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
    }

    /// <summary>
    /// Normalises a language to a BCP 47 tag: "eng", "English" and "en" give "en"; "en_US" and
    /// "en-us" give "en-US" (region kept). Unrecognised text is returned cleaned but otherwise
    /// unchanged, so no information is lost.
    /// </summary>
    public static string? NormalizeLanguage(string? language) => LanguageTags.Normalize(CleanText(language));

    /// <summary>
    /// Strips hyphens, spaces and an "ISBN"/"urn:isbn:" prefix, and returns the ISBN-13 when the
    /// rest is a valid ISBN-10 or ISBN-13 (check digit verified). Returns null otherwise.
    /// </summary>
    public static string? NormalizeIsbn13(string? text)
    {
        var digits = Isbn.ExtractCandidate(text);
        return digits is null ? null : Isbn.ToIsbn13(digits);
    }

    /// <summary>
    /// Returns the ISBN-10 form of a valid ISBN-10 or ISBN-13. An ISBN-13 has an ISBN-10 form only
    /// with the 978 prefix; 979 numbers return null.
    /// </summary>
    public static string? NormalizeIsbn10(string? text)
    {
        var digits = Isbn.ExtractCandidate(text);
        return digits is null ? null : Isbn.ToIsbn10(digits);
    }

    /// <summary>Whether the text, once hyphens, spaces and prefixes are removed, is a valid ISBN-10 or ISBN-13.</summary>
    public static bool IsValidIsbn(string? text) => NormalizeIsbn13(text) is not null;
}
