using Booklore.Tasks.Data;
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
