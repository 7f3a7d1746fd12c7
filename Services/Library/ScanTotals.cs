using System.Globalization;
using Booklore.Tasks.Services.Tasks;

namespace Booklore.Tasks.Services.Library;

/// <summary>Counts of a library scan and the summary sentence they make.</summary>
internal sealed class ScanTotals
{
    public long Added { get; set; }
    public long Changed { get; set; }
    public long Moved { get; set; }
    public long Returned { get; set; }
    public long Missing { get; set; }
    public long Unchanged { get; set; }
    public long Failed { get; set; }

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"Found {Added:N0} new, {Changed:N0} changed, {Moved:N0} moved and {Returned:N0} returned files; "
        + $"{CountText.Format(Missing, "book")} marked missing, {Unchanged:N0} unchanged, {CountText.Format(Failed, "file")} could not be read.");
}
