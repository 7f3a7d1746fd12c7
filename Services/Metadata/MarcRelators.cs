namespace Booklore.Tasks.Services.Metadata;

/// <summary>Maps MARC relator codes, as used by EPUB creator roles, to the role words of <see cref="Contributor"/>.</summary>
internal static class MarcRelators
{
    // Source: Library of Congress MARC Code List for Relators (id.loc.gov/vocabulary/relators).
    private static readonly Dictionary<string, string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["aut"] = Contributor.AuthorRole,
        ["edt"] = "editor",
        ["ill"] = "illustrator",
        ["trl"] = "translator",
        ["art"] = "artist",
        ["aui"] = "author of introduction",
        ["aft"] = "author of afterword",
        ["ann"] = "annotator",
        ["bkp"] = "book producer",
        ["clr"] = "colorist",
        ["cmm"] = "commentator",
        ["com"] = "compiler",
        ["cov"] = "cover designer",
        ["ctb"] = "contributor",
        ["dsr"] = "designer",
        ["lyr"] = "lyricist",
        ["nrt"] = "narrator",
        ["pbl"] = "publisher",
        ["pht"] = "photographer",
        ["pfr"] = "proofreader",
        ["red"] = "redactor",
        ["wpr"] = "writer of preface",
        ["adp"] = "adapter",
        ["cmp"] = "composer",
        ["csl"] = "consultant",
    };

    /// <summary>
    /// Returns the role word for a relator code ("aut" gives "author"). A role that is already a
    /// word, such as the non-MARC "author" some tools write, is returned in lower case. Unknown
    /// codes are returned in lower case so no information is lost; null or blank gives null.
    /// </summary>
    public static string? ToRoleWord(string? code)
    {
        var cleaned = MetadataNormalizer.CleanText(code);
        if (cleaned is null)
        {
            return null;
        }

        return Words.TryGetValue(cleaned, out var word) ? word : cleaned.ToLowerInvariant();
    }
}
