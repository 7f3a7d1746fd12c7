using System.Globalization;

namespace Booklore.Tasks.RefreshBench;

internal static class Machine
{
    /// <summary>The CPU model and memory from /proc, for the record next to the numbers.</summary>
    public static string Describe()
    {
        var cpu = ReadField("/proc/cpuinfo", "model name") ?? "unknown CPU";
        var memory = ReadField("/proc/meminfo", "MemTotal") ?? "unknown memory";
        return $"{cpu}, {memory} of memory";
    }

    /// <summary>Peak resident set size of this process (VmHWM), in MB.</summary>
    public static double PeakResidentMegabytes()
    {
        var text = ReadField("/proc/self/status", "VmHWM") ?? "0 kB";
        return long.Parse(text.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static string? ReadField(string path, string name) =>
        File.Exists(path)
            ? File.ReadLines(path).FirstOrDefault(line => line.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
}
