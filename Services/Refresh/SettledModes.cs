using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Metadata;
using Microsoft.EntityFrameworkCore;

namespace Booklore.Tasks.Services.Refresh;

/// <summary>
/// Reads and writes <see cref="Book.RefreshSettledModes"/>: one bit for each replace mode under which a
/// merge of the book's stored file metadata changes nothing and keeps no locked field back, beside
/// the version of the merge rules that found it.
/// </summary>
internal static class SettledModes
{
    /// <summary>
    /// The version of the merge rules. Raise it whenever the rules change what they write, so that
    /// every book is merged again under the new rules instead of passed by on a mark of the old ones.
    /// </summary>
    private const int RulesVersion = 1;

    private const int ModeBits = 0b1111;
    private const int VersionTag = RulesVersion << 4;

    private static readonly RefreshOptions[] EveryMode =
    [
        new() { ReplaceMode = ReplaceMode.Missing },
        new() { ReplaceMode = ReplaceMode.All },
        new() { ReplaceMode = ReplaceMode.All, ClearEmpty = true },
    ];

    /// <summary>True when the merge changes nothing and keeps no locked field back, so that merging again would find the same.</summary>
    public static bool IsSettled(MergeResult merge) => merge.Changes.Count == 0 && merge.SkippedLocked == 0;

    /// <summary>
    /// Finds every mode under which the book, as it is stored or about to be stored, is settled
    /// against the metadata read from its file.
    /// </summary>
    public static int Find(Book book, BookMetadata fromFile, BookFormat format)
    {
        var stored = book.GetMetadata();
        var modes = 0;
        foreach (var options in EveryMode)
        {
            if (IsSettled(MetadataMerger.Merge(book, stored, fromFile, format, options)))
            {
                modes |= Bit(options);
            }
        }

        return modes == 0 ? 0 : VersionTag | modes;
    }

    /// <summary>Returns the mark of a book settled under the options' mode and no other.</summary>
    public static int For(RefreshOptions options) => VersionTag | Bit(options);

    public static bool Covers(int settled, RefreshOptions options) =>
        (settled & ~ModeBits) == VersionTag && (settled & Bit(options)) != 0;

    /// <summary>
    /// Stores the marks <see cref="Find"/> gave, one statement for each distinct mark. Runs after the
    /// books are saved, because the trigger resets the column on every save that changes a book.
    /// </summary>
    public static async Task StoreAsync(BookloreDbContext db, IReadOnlyDictionary<int, int> marks)
    {
        foreach (var group in marks.GroupBy(pair => pair.Value, pair => pair.Key))
        {
            var bookIds = group.ToList();
            await db.Books
                .Where(book => bookIds.Contains(book.Id))
                .ExecuteUpdateAsync(setters => setters.SetProperty(book => book.RefreshSettledModes, group.Key), CancellationToken.None);
        }
    }

    private static int Bit(RefreshOptions options) => (options.ReplaceMode, options.ClearEmpty) switch
    {
        (ReplaceMode.Missing, _) => 0b001,
        (ReplaceMode.All, false) => 0b010,
        (ReplaceMode.All, true) => 0b100,
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.ReplaceMode, "Unknown replace mode."),
    };
}
