using System.Collections.Frozen;
using System.Globalization;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>Maps language names and ISO 639 codes to BCP 47 tags.</summary>
internal static class LanguageTags
{
    // ISO 639-2/B bibliographic codes (which .NET cultures do not list) and the most common
    // 639-2/T codes and English names, so the mapping works even without ICU culture data.
    private static readonly Dictionary<string, string> FixedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["alb"] = "sq", ["arm"] = "hy", ["baq"] = "eu", ["bur"] = "my", ["chi"] = "zh", ["cze"] = "cs",
        ["dut"] = "nl", ["fre"] = "fr", ["geo"] = "ka", ["ger"] = "de", ["gre"] = "el", ["ice"] = "is",
        ["mac"] = "mk", ["mao"] = "mi", ["may"] = "ms", ["per"] = "fa", ["rum"] = "ro", ["slo"] = "sk",
        ["tib"] = "bo", ["wel"] = "cy",
        ["eng"] = "en", ["deu"] = "de", ["fra"] = "fr", ["spa"] = "es", ["ita"] = "it", ["por"] = "pt",
        ["nld"] = "nl", ["rus"] = "ru", ["jpn"] = "ja", ["zho"] = "zh", ["kor"] = "ko", ["ara"] = "ar",
        ["heb"] = "he", ["pol"] = "pl", ["swe"] = "sv", ["dan"] = "da", ["nor"] = "no", ["fin"] = "fi",
        ["ces"] = "cs", ["hun"] = "hu", ["tur"] = "tr", ["ell"] = "el", ["ukr"] = "uk", ["hin"] = "hi",
        ["english"] = "en", ["german"] = "de", ["deutsch"] = "de", ["french"] = "fr", ["français"] = "fr",
        ["spanish"] = "es", ["español"] = "es", ["italian"] = "it", ["portuguese"] = "pt",
        ["dutch"] = "nl", ["russian"] = "ru", ["japanese"] = "ja", ["chinese"] = "zh", ["korean"] = "ko",
        ["arabic"] = "ar", ["hebrew"] = "he", ["polish"] = "pl", ["swedish"] = "sv",
        // "iw" and "in" are the withdrawn ISO 639-1 codes for Hebrew and Indonesian.
        ["iw"] = "he", ["in"] = "id",
    };

    private static readonly FrozenDictionary<string, string> Names = BuildNames();

    /// <summary>Returns the BCP 47 tag for cleaned text, or the text unchanged when it is not recognised.</summary>
    public static string? Normalize(string? language)
    {
        if (language is null)
        {
            return null;
        }

        var parts = language.Replace('_', '-').Split('-', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return null;
        }

        if (parts.Length == 1 || !parts.All(IsTagPart))
        {
            return Names.TryGetValue(language, out var named) ? named : CanonicalPrimary(language);
        }

        var primary = CanonicalPrimary(parts[0]);
        var subtags = parts.Skip(1).Select(CanonicalSubtag);
        return string.Join('-', subtags.Prepend(primary));
    }

    private static string CanonicalPrimary(string primary)
    {
        if (Names.TryGetValue(primary, out var mapped))
        {
            return mapped;
        }

        return primary.All(char.IsAsciiLetter) && primary.Length is 2 or 3
            ? primary.ToLowerInvariant()
            : primary;
    }

    // BCP 47 casing: two-letter regions upper case ("US"), four-letter scripts title case ("Hant").
    private static string CanonicalSubtag(string subtag) => subtag.Length switch
    {
        2 when subtag.All(char.IsAsciiLetter) => subtag.ToUpperInvariant(),
        4 when subtag.All(char.IsAsciiLetter) => char.ToUpperInvariant(subtag[0]) + subtag[1..].ToLowerInvariant(),
        _ => subtag.ToLowerInvariant(),
    };

    private static bool IsTagPart(string part) => part.Length <= 8 && part.All(char.IsAsciiLetterOrDigit);

    private static FrozenDictionary<string, string> BuildNames()
    {
        var names = new Dictionary<string, string>(FixedNames, StringComparer.OrdinalIgnoreCase);
        CultureInfo[] cultures;
        try
        {
            cultures = CultureInfo.GetCultures(CultureTypes.NeutralCultures);
        }
        catch (CultureNotFoundException)
        {
            // NOTE: without culture data only the fixed table above is available.
            cultures = [];
        }

        foreach (var culture in cultures)
        {
            var twoLetter = culture.TwoLetterISOLanguageName;
            if (twoLetter.Length != 2 || culture.Name.Contains('-', StringComparison.Ordinal))
            {
                continue;
            }

            names.TryAdd(culture.ThreeLetterISOLanguageName, twoLetter);
            names.TryAdd(culture.EnglishName, twoLetter);
        }

        return names.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
