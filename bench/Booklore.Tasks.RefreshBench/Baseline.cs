using System.Diagnostics;

namespace Booklore.Tasks.RefreshBench;

/// <summary>Reading every byte of every book file on all cores: the floor any refresh is compared with.</summary>
internal static class Baseline
{
    public static (long Files, long Bytes, double Seconds) ReadEveryFile(string folder)
    {
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
        var clock = Stopwatch.StartNew();
        long bytes = 0;
        Parallel.ForEach(files, () => (Buffer: new byte[81920], Bytes: 0L), (path, _, state) =>
        {
            using var stream = File.OpenRead(path);
            int read;
            while ((read = stream.Read(state.Buffer)) > 0)
            {
                state.Bytes += read;
            }

            return state;
        }, state => Interlocked.Add(ref bytes, state.Bytes));
        return (files.Length, bytes, clock.Elapsed.TotalSeconds);
    }
}
