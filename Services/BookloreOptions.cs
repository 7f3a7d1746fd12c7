using System.ComponentModel.DataAnnotations;

namespace Booklore.Tasks.Services;

/// <summary>Settings under the "Booklore" section (environment variables Booklore__...).</summary>
public sealed class BookloreOptions
{
    public const string SectionName = "Booklore";

    /// <summary>Folder for the database, the page caches and the backups; relative paths start at the working directory.</summary>
    [Required]
    public string DataPath { get; set; } = "data";

    /// <summary>Libraries created at start-up when missing. Empty means the bundled demo library.</summary>
    public List<LibraryOption> Libraries { get; set; } = [];

    /// <summary>Folder of the demo library used when no library is configured and the database has none.</summary>
    public string DemoLibraryPath { get; set; } = "samples/library";

    /// <summary>Database snapshots kept in the backups folder; older ones are deleted after each new snapshot.</summary>
    [Range(1, 1000)]
    public int BackupsToKeep { get; set; } = 10;

    public string DatabasePath => Path.Combine(FullDataPath, "booklore.db");
    public string FullDataPath => Path.GetFullPath(DataPath);
    public string CbxCachePath => Path.Combine(FullDataPath, "cache", "cbx");
    public string PdfCachePath => Path.Combine(FullDataPath, "cache", "pdf");
    public string BackupsPath => Path.Combine(FullDataPath, "backups");
}

/// <summary>One configured library: a name and a folder.</summary>
public sealed class LibraryOption
{
    public string? Name { get; set; }

    [Required]
    public string Path { get; set; } = "";
}
