using System.Globalization;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Refresh;

namespace Booklore.Tasks.Components.Pages.TaskManagement;

/// <summary>Plain-language descriptions of refresh options, for confirmations and schedules.</summary>
internal static class RefreshOptionsText
{
    /// <summary>Describes the books a refresh covers, such as "every book in all libraries" or "the 3 selected books".</summary>
    public static string DescribeScope(RefreshOptions options, IReadOnlyList<Library> libraries)
    {
        if (options.BookIds.Count > 0)
        {
            return options.BookIds.Count == 1 ? "the selected book" : $"the {options.BookIds.Count} selected books";
        }

        return options.LibraryId is { } id
            ? $"every book in the library {libraries.FirstOrDefault(library => library.Id == id)?.Name ?? id.ToString(CultureInfo.InvariantCulture)}"
            : "every book in all libraries";
    }

    /// <summary>Describes every option, such as "Replace Missing Only; every book in all libraries; preview only".</summary>
    public static string Describe(RefreshOptions options, IReadOnlyList<Library> libraries)
    {
        var parts = new List<string>
        {
            options.ReplaceMode == ReplaceMode.All ? "Replace All Metadata" : "Replace Missing Only",
            DescribeScope(options, libraries),
        };
        if (options.ClearEmpty)
        {
            parts.Add("clears fields the file leaves empty");
        }

        if (options.DryRun)
        {
            parts.Add("preview only");
        }

        if (options.Force)
        {
            parts.Add("rereads every file");
        }

        return string.Join("; ", parts);
    }
}
