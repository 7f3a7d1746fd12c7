using System.Globalization;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Tasks;

namespace Booklore.Tasks.Services.Refresh;

/// <summary>Counts of a refresh, per batch and for the whole run, and the summary sentence they make.</summary>
internal sealed class RefreshTotals
{
    private readonly Dictionary<MetadataField, long> _fieldChanges = [];

    public long Processed { get; set; }
    public long ChangedBooks { get; set; }
    public long ChangedFields { get; set; }
    public long Unchanged { get; set; }
    public long SkippedLocked { get; set; }
    public long Failed { get; set; }

    /// <summary>Books whose file was unchanged since the last read, so its stored metadata was used.</summary>
    public long ReusedFiles { get; set; }

    public void CountField(MetadataField field) => _fieldChanges[field] = _fieldChanges.GetValueOrDefault(field) + 1;

    public void Add(RefreshTotals other)
    {
        Processed += other.Processed;
        ChangedBooks += other.ChangedBooks;
        ChangedFields += other.ChangedFields;
        Unchanged += other.Unchanged;
        SkippedLocked += other.SkippedLocked;
        Failed += other.Failed;
        ReusedFiles += other.ReusedFiles;
        foreach (var (field, count) in other._fieldChanges)
        {
            _fieldChanges[field] = _fieldChanges.GetValueOrDefault(field) + count;
        }
    }

    public string Describe(bool dryRun)
    {
        var fields = _fieldChanges.Count == 0
            ? ""
            : " By field: " + string.Join(", ", _fieldChanges.OrderByDescending(pair => pair.Value).Select(pair =>
                string.Create(CultureInfo.InvariantCulture, $"{pair.Key.Label()} {pair.Value:N0}"))) + ".";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{(dryRun ? "Preview: would change" : "Changed")} {ChangedBooks:N0} of {CountText.Format(Processed, "book")} ({CountText.Format(ChangedFields, "field")}); "
            + $"{Unchanged:N0} unchanged, {CountText.Format(SkippedLocked, "locked field")} kept, {CountText.Format(Failed, "file")} could not be read, "
            + $"{CountText.Format(ReusedFiles, "unchanged file")} not reread.{fields}");
    }
}
