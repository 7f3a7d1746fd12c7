using System.Diagnostics;
using System.Text.Json;
using Booklore.Tasks.Tests.TestSupport;

namespace Booklore.Tasks.Tests.Build;

/// <summary>
/// Evaluates a copy of the app's project file, as the build does, to check which source files
/// it compiles. The copy lives in a temporary folder so that the test never writes into the
/// repository.
/// </summary>
public sealed class ProjectItemsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("booklore-project-").FullName;

    [Fact]
    public async Task DataFolderKeepsDataSources()
    {
        foreach (var file in new[] { "Booklore.Tasks.csproj", "Directory.Build.props", "Directory.Packages.props", "global.json" })
        {
            File.Copy(Path.Combine(AppProcess.RepositoryRoot, file), Path.Combine(_folder, file));
        }

        WriteSource("Data/Book.cs");
        WriteSource("data/cache/cbx/1/Page.cs");
        WriteSource("data/backups/Snapshot.cs");
        File.WriteAllText(Path.Combine(_folder, "data", "booklore.db"), "");

        var compiled = await GetCompileItemsAsync();

        Assert.Contains("Data/Book.cs", compiled);
        Assert.DoesNotContain("data/cache/cbx/1/Page.cs", compiled);
        Assert.DoesNotContain("data/backups/Snapshot.cs", compiled);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void WriteSource(string relativePath)
    {
        var path = Path.Combine(_folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "internal sealed class Placeholder;");
    }

    private async Task<List<string>> GetCompileItemsAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("msbuild");
        start.ArgumentList.Add("Booklore.Tasks.csproj");
        start.ArgumentList.Add("-getItem:Compile");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet msbuild failed with exit code {process.ExitCode}:\n{await output}\n{await errors}");

        using var json = JsonDocument.Parse(await output);
        return json.RootElement.GetProperty("Items").GetProperty("Compile").EnumerateArray()
            .Select(item => item.GetProperty("Identity").GetString()!.Replace('\\', '/'))
            .ToList();
    }
}
