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
    /// Raised whenever the merge rules change what they write, so that every book is merged again
    /// under the new rules instead of being passed by on a finding of the old ones.
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
    /// Finds every mode under which the book, as it is about to be stored, is settled against the
    /// metadata just read from its file. A new book can be stored with its mark in the same write.
    /// </summary>
    public static int Find(Book book, BookMetadata fromFile)
    {
        var stored = book.GetMetadata();
        var modes = 0;
        foreach (var options in EveryMode)
        {
            if (IsSettled(MetadataMerger.Merge(book, stored, fromFile, book.Format, options)))
            {
                modes |= Bit(options);
            }
        }

        return modes == 0 ? 0 : VersionTag | modes;
    }

    public static bool Covers(int settled, RefreshOptions options) =>
        (settled & ~ModeBits) == VersionTag && (settled & Bit(options)) != 0;

    /// <summary>
    /// Records that the books are settled under the run's mode. Runs as its own statement after the
    /// books are saved, because the trigger resets the column on every save that changes the book.
    /// </summary>
    public static Task MarkAsync(BookloreDbContext db, IReadOnlyCollection<int> bookIds, RefreshOptions options)
    {
        if (bookIds.Count == 0)
        {
            return Task.CompletedTask;
        }

        var bit = Bit(options);
        return db.Books
            .Where(book => bookIds.Contains(book.Id))
            .ExecuteUpdateAsync(
                setters => setters.SetProperty(
                    book => book.RefreshSettledModes,
                    book => (book.RefreshSettledModes & ~ModeBits) == VersionTag ? book.RefreshSettledModes | bit : VersionTag | bit),
                CancellationToken.None);
    }

    private static int Bit(RefreshOptions options) => (options.ReplaceMode, options.ClearEmpty) switch
    {
        (ReplaceMode.Missing, _) => 0b001,
        (ReplaceMode.All, false) => 0b010,
        (ReplaceMode.All, true) => 0b100,
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.ReplaceMode, "Unknown replace mode."),
    };
}
