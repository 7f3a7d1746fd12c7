using Booklore.Tasks.Services.Library;

namespace Booklore.Tasks.Tests.Services.Library;

public sealed class ScanTotalsTests
{
    [Fact]
    public void Describe_CountsOfOne_UseSingularNouns()
    {
        var totals = new ScanTotals { Added = 1, Missing = 1, Unchanged = 1, Failed = 1 };

        var summary = totals.Describe();

        Assert.Equal(
            "Found 1 new, 0 changed, 0 moved and 0 returned files; 1 book marked missing, 1 unchanged, 1 file could not be read.",
            summary);
    }

    [Fact]
    public void Describe_OtherCounts_UsePluralNouns()
    {
        var totals = new ScanTotals { Added = 3_000, Missing = 2, Failed = 30 };

        var summary = totals.Describe();

        Assert.Equal(
            "Found 3,000 new, 0 changed, 0 moved and 0 returned files; 2 books marked missing, 0 unchanged, 30 files could not be read.",
            summary);
    }
}
