using System.Diagnostics;

namespace Booklore.Tasks.Tests.Services.Caches;

/// <summary>Runs the test only where a file can be made undeletable: chmod for a normal user, chattr +i for root.</summary>
public sealed class UndeletableFileFactAttribute : FactAttribute
{
    public UndeletableFileFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Uses Unix file modes or chattr.";
        }
        else if (CacheTestConditions.IsRoot && !CacheTestConditions.CanSetImmutable)
        {
            Skip = "Running as root, where chmod does not stop deletion, and chattr +i is unavailable or unsupported on the temp folder.";
        }
    }
}

/// <summary>Runs the test only as root on Linux, where a small tmpfs can be mounted to fill a disk.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || !CacheTestConditions.IsRoot)
        {
            Skip = "Mounting a tmpfs needs root on Linux.";
        }
    }
}

internal static class CacheTestConditions
{
    private static readonly Lazy<bool> LazyCanSetImmutable = new(ProbeImmutable);

    public static bool IsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    public static bool CanSetImmutable => LazyCanSetImmutable.Value;

    /// <summary>Runs a program and returns its exit code, or -1 when it cannot be started.</summary>
    public static int Run(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(startInfo)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    private static bool ProbeImmutable()
    {
        var path = Path.Combine(Path.GetTempPath(), $"booklore-chattr-probe-{Guid.NewGuid():N}");
        File.WriteAllText(path, "probe");
        try
        {
            return Run("chattr", "+i", path) == 0;
        }
        finally
        {
            Run("chattr", "-i", path);
            File.Delete(path);
        }
    }
}
