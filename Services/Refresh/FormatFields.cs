using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Services.Refresh;

/// <summary>
/// The metadata fields each format's own metadata can hold. "Clear fields the file leaves empty"
/// clears only these, so a PDF never wipes a story arc it had no way to store.
/// </summary>
public static class FormatFields
{
    // Comic credits, series totals, volumes, story arcs and age ratings come from ComicInfo.xml.
    private static readonly HashSet<MetadataField> ComicOnly =
        [MetadataField.SeriesTotal, MetadataField.Volume, MetadataField.StoryArc, MetadataField.AgeRating];

    /// <summary>True when a file of <paramref name="format"/> can hold <paramref name="field"/>.</summary>
    public static bool CanCarry(BookFormat format, MetadataField field) => format switch
    {
        BookFormat.Cbz or BookFormat.Cbr or BookFormat.Cb7 => field != MetadataField.Subtitle,

        // The EPUB reader reads no page count, so an EPUB never clears one.
        BookFormat.Epub => field != MetadataField.PageCount && !ComicOnly.Contains(field),

        // NOTE: a PDF whose /Keywords hold a whole ComicInfo.xml (old comicbox files) does fill
        // comic fields; they are written when present but, as for any PDF, never cleared.
        BookFormat.Pdf => field != MetadataField.Subtitle && !ComicOnly.Contains(field),
        _ => false,
    };
}
