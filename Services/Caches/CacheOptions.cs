using System.ComponentModel.DataAnnotations;

namespace Booklore.Tasks.Services.Caches;

/// <summary>Settings under "Booklore:Caches" (environment variables Booklore__Caches__...).</summary>
public sealed class CacheOptions
{
    public const string SectionName = "Booklore:Caches";

    /// <summary>Maximum size of the CBX page cache in bytes; null means no limit.</summary>
    [Range(1d, double.MaxValue)]
    public long? CbxBudgetBytes { get; set; }

    /// <summary>Maximum size of the PDF page cache in bytes; null means no limit.</summary>
    [Range(1d, double.MaxValue)]
    public long? PdfBudgetBytes { get; set; }

    /// <summary>
    /// PDF renderer: "auto" (mutool when installed, else pdftoppm), "mutool" or "pdftoppm".
    /// </summary>
    [RegularExpression("^(auto|mutool|pdftoppm)$", ErrorMessage = "PdfRenderer must be auto, mutool or pdftoppm.")]
    public string PdfRenderer { get; set; } = "auto";

    /// <summary>Time limit for rendering one PDF page, in seconds.</summary>
    [Range(1, 600)]
    public int PdfRenderTimeoutSeconds { get; set; } = 30;
}
