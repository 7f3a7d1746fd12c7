using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Booklore.Tasks.Tests.TestSupport;

/// <summary>
/// The whole app in memory over a temporary data folder and library folder, with a real
/// SQLite database and the real task engine.
/// </summary>
public sealed class AppFactory : WebApplicationFactory<Program>
{
    public AppFactory()
    {
        Root = Directory.CreateTempSubdirectory("booklore-app-").FullName;
        LibraryFolder = Directory.CreateDirectory(Path.Combine(Root, "library")).FullName;
        DataFolder = Path.Combine(Root, "data");
    }

    public string Root { get; }
    public string LibraryFolder { get; }
    public string DataFolder { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Booklore:DataPath", DataFolder);
        builder.UseSetting("Booklore:Libraries:0:Name", "Test library");
        builder.UseSetting("Booklore:Libraries:0:Path", LibraryFolder);
        builder.UseSetting("Booklore:Tasks:ProgressEventInterval", "00:00:00.050");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a background thread; the OS cleans temporary folders.
            }
        }
    }
}
