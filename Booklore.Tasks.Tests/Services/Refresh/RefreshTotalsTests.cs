using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Refresh;

namespace Booklore.Tasks.Tests.Services.Refresh;

public sealed class RefreshTotalsTests
{
    [Fact]
    public void Describe_CountsOfOne_UseSingularNouns()
    {
        var totals = new RefreshTotals
        {
            Processed = 1,
            ChangedBooks = 1,
            ChangedFields = 1,
            SkippedLocked = 1,
            Failed = 1,
            ReusedFiles = 1,
        };
        totals.CountField(MetadataField.Title);

        var summary = totals.Describe(dryRun: false);

        Assert.StartsWith("Changed 1 of 1 book (1 field); ", summary, StringComparison.Ordinal);
        Assert.Contains("1 locked field kept", summary, StringComparison.Ordinal);
        Assert.Contains("1 file could not be read", summary, StringComparison.Ordinal);
        Assert.Contains("1 unchanged file not reread.", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_FieldCounts_UseFieldLabels()
    {
        var totals = new RefreshTotals { Processed = 2, ChangedBooks = 2, ChangedFields = 3 };
        totals.CountField(MetadataField.PublishedDate);
        totals.CountField(MetadataField.PublishedDate);
        totals.CountField(MetadataField.Isbn13);

        var summary = totals.Describe(dryRun: false);

        Assert.EndsWith(" By field: Published date 2, ISBN-13 1.", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_OtherCounts_UsePluralNouns()
    {
        var totals = new RefreshTotals
        {
            Processed = 1_000,
            ChangedBooks = 0,
            ChangedFields = 0,
            Unchanged = 998,
            SkippedLocked = 2,
            Failed = 2,
            ReusedFiles = 998,
        };

        var summary = totals.Describe(dryRun: true);

        Assert.StartsWith("Preview: would change 0 of 1,000 books (0 fields); ", summary, StringComparison.Ordinal);
        Assert.Contains("998 unchanged, 2 locked fields kept", summary, StringComparison.Ordinal);
        Assert.Contains("2 files could not be read", summary, StringComparison.Ordinal);
        Assert.EndsWith("998 unchanged files not reread.", summary, StringComparison.Ordinal);
    }
}
