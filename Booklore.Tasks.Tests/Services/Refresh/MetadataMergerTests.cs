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
        Unreadable,
    }

    /// <summary>
    /// Every combination of mode, lock, file value and database value, with the value the
    /// database must hold afterwards: "db" (kept), "file" (replaced) or "none" (cleared).
    /// </summary>
    public static TheoryData<Mode, bool, FileValue, bool, string> Cells { get; } = new()
    {
        // mode, locked, file, database has a value, expected
        { Mode.Missing, false, FileValue.Present, true, "db" },
        { Mode.Missing, false, FileValue.Present, false, "file" },
        { Mode.Missing, false, FileValue.Empty, true, "db" },
        { Mode.Missing, false, FileValue.Empty, false, "none" },
        { Mode.Missing, false, FileValue.Unreadable, true, "db" },
        { Mode.Missing, false, FileValue.Unreadable, false, "none" },
        { Mode.Missing, true, FileValue.Present, true, "db" },
        { Mode.Missing, true, FileValue.Present, false, "none" },
        { Mode.Missing, true, FileValue.Empty, true, "db" },
        { Mode.Missing, true, FileValue.Unreadable, true, "db" },
        { Mode.All, false, FileValue.Present, true, "file" },
        { Mode.All, false, FileValue.Present, false, "file" },
        { Mode.All, false, FileValue.Empty, true, "db" },
        { Mode.All, false, FileValue.Empty, false, "none" },
        { Mode.All, false, FileValue.Unreadable, true, "db" },
        { Mode.All, true, FileValue.Present, true, "db" },
        { Mode.All, true, FileValue.Present, false, "none" },
        { Mode.All, true, FileValue.Empty, true, "db" },
        { Mode.All, true, FileValue.Unreadable, true, "db" },
        { Mode.AllClearEmpty, false, FileValue.Present, true, "file" },
        { Mode.AllClearEmpty, false, FileValue.Empty, true, "none" },
        { Mode.AllClearEmpty, false, FileValue.Empty, false, "none" },
        { Mode.AllClearEmpty, false, FileValue.Unreadable, true, "db" },
        { Mode.AllClearEmpty, true, FileValue.Empty, true, "db" },
        { Mode.AllClearEmpty, true, FileValue.Present, true, "db" },
        { Mode.AllClearEmpty, true, FileValue.Unreadable, true, "db" },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void Merge_ScalarTitle_FollowsTable(Mode mode, bool locked, FileValue file, bool databaseHasValue, string expected)
    {
        var stored = new BookMetadata { Title = databaseHasValue ? "Database title" : null };
        var fromFile = new BookMetadata { Title = file == FileValue.Present ? "File title" : null };

        var result = Apply(stored, fromFile, MetadataField.Title, mode, locked, file);

        Assert.Equal(Expected(expected, "Database title", "File title"), result.Title);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Merge_ListSubjects_FollowsTable(Mode mode, bool locked, FileValue file, bool databaseHasValue, string expected)
    {
        var stored = new BookMetadata { Subjects = databaseHasValue ? ["Poetry"] : [] };
        var fromFile = new BookMetadata { Subjects = file == FileValue.Present ? ["History", "Travel"] : [] };

        var result = Apply(stored, fromFile, MetadataField.Subjects, mode, locked, file);

        var text = MetadataFieldValues.Format(result, MetadataField.Subjects);
        Assert.Equal(Expected(expected, "Poetry", "History; Travel"), text);
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

    private static BookMetadata Apply(BookMetadata stored, BookMetadata fromFile, MetadataField field, Mode mode, bool locked, FileValue file)
    {
        // An unreadable file never reaches the merge: the refresh leaves the book as it is.
        if (file == FileValue.Unreadable)
        {
            return stored;
        }

        var locks = locked ? new HashSet<MetadataField> { field } : [];
        var replaceMode = mode == Mode.Missing ? ReplaceMode.Missing : ReplaceMode.All;
        return MetadataMerger.Merge(stored, fromFile, locks, replaceMode, clearEmpty: mode == Mode.AllClearEmpty).Metadata;
    }

    private static string? Expected(string expected, string databaseValue, string fileValue) => expected switch
    {
        "db" => databaseValue,
        "file" => fileValue,
        _ => null,
    };
}
