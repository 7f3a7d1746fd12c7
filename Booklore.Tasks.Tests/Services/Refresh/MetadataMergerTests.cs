using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Metadata;
using Booklore.Tasks.Services.Refresh;

namespace Booklore.Tasks.Tests.Services.Refresh;

public sealed class MetadataMergerTests
{
    public enum Mode
    {
        Missing,
        All,
        AllClearEmpty,
    }

    public enum FileValue
    {
        Present,
        Empty,
    }

    /// <summary>
    /// Every combination of mode, lock, file value and database value, with the value the
    /// database must hold afterwards ("db" kept, "file" replaced, "none" cleared or left empty)
    /// and how many locked fields the merge counts as kept. A file that cannot be read never
    /// reaches the merge; RefreshMetadataTaskTests covers that column with broken files.
    /// </summary>
    public static TheoryData<Mode, bool, FileValue, bool, string, int> Cells { get; } = new()
    {
        // mode, locked, file, database has a value, expected, locked fields kept
        { Mode.Missing, false, FileValue.Present, true, "db", 0 },
        { Mode.Missing, false, FileValue.Present, false, "file", 0 },
        { Mode.Missing, false, FileValue.Empty, true, "db", 0 },
        { Mode.Missing, false, FileValue.Empty, false, "none", 0 },
        { Mode.Missing, true, FileValue.Present, true, "db", 0 },
        { Mode.Missing, true, FileValue.Present, false, "none", 1 },
        { Mode.Missing, true, FileValue.Empty, true, "db", 0 },
        { Mode.Missing, true, FileValue.Empty, false, "none", 0 },
        { Mode.All, false, FileValue.Present, true, "file", 0 },
        { Mode.All, false, FileValue.Present, false, "file", 0 },
        { Mode.All, false, FileValue.Empty, true, "db", 0 },
        { Mode.All, false, FileValue.Empty, false, "none", 0 },
        { Mode.All, true, FileValue.Present, true, "db", 1 },
        { Mode.All, true, FileValue.Present, false, "none", 1 },
        { Mode.All, true, FileValue.Empty, true, "db", 0 },
        { Mode.All, true, FileValue.Empty, false, "none", 0 },
        { Mode.AllClearEmpty, false, FileValue.Present, true, "file", 0 },
        { Mode.AllClearEmpty, false, FileValue.Present, false, "file", 0 },
        { Mode.AllClearEmpty, false, FileValue.Empty, true, "none", 0 },
        { Mode.AllClearEmpty, false, FileValue.Empty, false, "none", 0 },
        { Mode.AllClearEmpty, true, FileValue.Present, true, "db", 1 },
        { Mode.AllClearEmpty, true, FileValue.Present, false, "none", 1 },
        { Mode.AllClearEmpty, true, FileValue.Empty, true, "db", 1 },
        { Mode.AllClearEmpty, true, FileValue.Empty, false, "none", 0 },
    };

    [Fact]
    public void Cells_ListEveryCombinationOnce()
    {
        var listed = Cells.Select(row => (Mode: (Mode)row[0], Locked: (bool)row[1], File: (FileValue)row[2], Database: (bool)row[3])).ToList();
        var all =
            from mode in Enum.GetValues<Mode>()
            from locked in new[] { false, true }
            from file in Enum.GetValues<FileValue>()
            from database in new[] { false, true }
            select (Mode: mode, Locked: locked, File: file, Database: database);

        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(all.Order().ToList(), listed.Order().ToList());
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Merge_ScalarTitle_FollowsTable(Mode mode, bool locked, FileValue file, bool databaseHasValue, string expected, int lockedKept)
    {
        var stored = new BookMetadata { Title = databaseHasValue ? "Database title" : null };
        var fromFile = new BookMetadata { Title = file == FileValue.Present ? "File title" : null };

        var result = Apply(stored, fromFile, MetadataField.Title, mode, locked);

        Assert.Equal(Expected(expected, "Database title", "File title"), result.Metadata.Title);
        Assert.Equal(lockedKept, result.SkippedLocked);
        AssertChangeLogged(result, MetadataField.Title, expected, databaseHasValue);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Merge_ListSubjects_FollowsTable(Mode mode, bool locked, FileValue file, bool databaseHasValue, string expected, int lockedKept)
    {
        var stored = new BookMetadata { Subjects = databaseHasValue ? ["Poetry"] : [] };
        var fromFile = new BookMetadata { Subjects = file == FileValue.Present ? ["History", "Travel"] : [] };

        var result = Apply(stored, fromFile, MetadataField.Subjects, mode, locked);

        var text = MetadataFieldValues.Format(result.Metadata, MetadataField.Subjects);
        Assert.Equal(Expected(expected, "Poetry", "History; Travel"), text);
        Assert.Equal(lockedKept, result.SkippedLocked);
        AssertChangeLogged(result, MetadataField.Subjects, expected, databaseHasValue);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Merge_ListAuthorsWithRoles_FollowsTable(Mode mode, bool locked, FileValue file, bool databaseHasValue, string expected, int lockedKept)
    {
        var stored = new BookMetadata { Authors = databaseHasValue ? [new Contributor("Ada Okafor")] : [] };
        var fromFile = new BookMetadata
        {
            Authors = file == FileValue.Present ? [new Contributor("Bruno Silva", "illustrator"), new Contributor("Carla Dias")] : [],
        };

        var result = Apply(stored, fromFile, MetadataField.Authors, mode, locked);

        var text = MetadataFieldValues.Format(result.Metadata, MetadataField.Authors);
        Assert.Equal(Expected(expected, "Ada Okafor", "Bruno Silva (illustrator); Carla Dias"), text);
        Assert.Equal(lockedKept, result.SkippedLocked);
        AssertChangeLogged(result, MetadataField.Authors, expected, databaseHasValue);
    }

    [Fact]
    public void Merge_SameValueDifferentSpacingAndOrder_CountsNoChange()
    {
        var stored = new BookMetadata
        {
            Title = "The  Golden Harpoon ",
            Subjects = ["travel", "History"],
            Isbn13 = "978-0-306-40615-7",
            Language = "EN-us",
        };
        var fromFile = new BookMetadata
        {
            Title = "The Golden Harpoon",
            Subjects = ["History", "Travel"],
            Isbn13 = "9780306406157",
            Language = "en-US",
        };

        var result = MetadataMerger.Merge(stored, fromFile, new HashSet<MetadataField>(), ReplaceMode.All, clearEmpty: false);

        Assert.Empty(result.Changes);
    }

    [Theory]
    [InlineData(BookFormat.Pdf, MetadataField.StoryArc, false)]
    [InlineData(BookFormat.Pdf, MetadataField.Subtitle, false)]
    [InlineData(BookFormat.Pdf, MetadataField.Publisher, true)]
    [InlineData(BookFormat.Epub, MetadataField.AgeRating, false)]
    [InlineData(BookFormat.Epub, MetadataField.Subtitle, true)]
    [InlineData(BookFormat.Cbz, MetadataField.StoryArc, true)]
    [InlineData(BookFormat.Cbz, MetadataField.Subtitle, false)]
    public void Merge_ClearEmpty_ClearsOnlyFieldsTheFormatHolds(BookFormat format, MetadataField field, bool cleared)
    {
        var stored = new BookMetadata { Subtitle = "Kept?", Publisher = "Kept?", StoryArc = "Kept?", AgeRating = "Kept?" };

        var result = MetadataMerger.Merge(stored, new BookMetadata(), new HashSet<MetadataField>(), ReplaceMode.All, clearEmpty: true, format);

        Assert.Equal(cleared, result.Changes.Any(change => change.Field == field));
        Assert.Equal(cleared ? null : "Kept?", MetadataFieldValues.Format(result.Metadata, field));
    }

    [Fact]
    public void Merge_ClearEmptyEpub_KeepsPageCount()
    {
        // The EPUB reader reads no page count, so an empty one in the file says nothing about the book.
        var stored = new BookMetadata { PageCount = 320 };

        var result = MetadataMerger.Merge(stored, new BookMetadata(), new HashSet<MetadataField>(), ReplaceMode.All, clearEmpty: true, BookFormat.Epub);

        Assert.Empty(result.Changes);
        Assert.Equal(320, result.Metadata.PageCount);
    }

    [Fact]
    public void Merge_PlaceholderAndEmptyFile_KeepsPlaceholder()
    {
        var stored = new BookMetadata { Title = "scan-0001" };
        var placeholders = new HashSet<MetadataField> { MetadataField.Title };

        var result = MetadataMerger.Merge(stored, new BookMetadata(), new HashSet<MetadataField>(), ReplaceMode.All, clearEmpty: true, placeholders: placeholders);

        Assert.Empty(result.Changes);
        Assert.Equal("scan-0001", result.Metadata.Title);
    }

    [Fact]
    public void Merge_PlaceholderInMissingMode_TakesFileValue()
    {
        var stored = new BookMetadata { Title = "scan-0001" };
        var fromFile = new BookMetadata { Title = "The Golden Harpoon" };
        var placeholders = new HashSet<MetadataField> { MetadataField.Title };

        var result = MetadataMerger.Merge(stored, fromFile, new HashSet<MetadataField>(), ReplaceMode.Missing, clearEmpty: false, placeholders: placeholders);

        var change = Assert.Single(result.Changes);
        Assert.Equal("scan-0001", change.OldValue);
        Assert.Equal("The Golden Harpoon", result.Metadata.Title);
    }

    [Fact]
    public void Merge_LockedPlaceholder_IsKept()
    {
        var stored = new BookMetadata { Title = "scan-0001" };
        var fromFile = new BookMetadata { Title = "The Golden Harpoon" };
        var field = new HashSet<MetadataField> { MetadataField.Title };

        var result = MetadataMerger.Merge(stored, fromFile, field, ReplaceMode.Missing, clearEmpty: false, placeholders: field);

        Assert.Empty(result.Changes);
        Assert.Equal(1, result.SkippedLocked);
        Assert.Equal("scan-0001", result.Metadata.Title);
    }

    [Fact]
    public void Merge_AuthorsInNewOrder_IsAChange()
    {
        var stored = new BookMetadata { Authors = [new Contributor("Ada Okafor"), new Contributor("Bruno Silva")] };
        var fromFile = new BookMetadata { Authors = [new Contributor("Bruno Silva"), new Contributor("Ada Okafor")] };

        var result = MetadataMerger.Merge(stored, fromFile, new HashSet<MetadataField>(), ReplaceMode.All, clearEmpty: false);

        var change = Assert.Single(result.Changes);
        Assert.Equal(MetadataField.Authors, change.Field);
        Assert.Equal("Bruno Silva; Ada Okafor", change.NewValue);
        Assert.Equal("Bruno Silva", result.Metadata.Authors[0].Name);
    }

    private static MergeResult Apply(BookMetadata stored, BookMetadata fromFile, MetadataField field, Mode mode, bool locked)
    {
        var locks = locked ? new HashSet<MetadataField> { field } : [];
        var replaceMode = mode == Mode.Missing ? ReplaceMode.Missing : ReplaceMode.All;
        return MetadataMerger.Merge(stored, fromFile, locks, replaceMode, clearEmpty: mode == Mode.AllClearEmpty);
    }

    /// <summary>Asserts that the merge logs one change exactly when the value changes, and no other change.</summary>
    private static void AssertChangeLogged(MergeResult result, MetadataField field, string expected, bool databaseHasValue)
    {
        var changed = expected == "file" || (expected == "none" && databaseHasValue);
        Assert.Equal(changed ? [field] : [], result.Changes.Select(change => change.Field).ToArray());
    }

    private static string? Expected(string expected, string databaseValue, string fileValue) => expected switch
    {
        "db" => databaseValue,
        "file" => fileValue,
        _ => null,
    };
}
