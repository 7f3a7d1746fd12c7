using Booklore.Tasks.Services.Metadata;

namespace Booklore.Tasks.Tests.TestSupport;

/// <summary>
/// The real reader, with a callback that runs after each file is read and before the result
/// returns, so a test can change the database at a set point while a task is mid-batch.
/// </summary>
public sealed class HookedReader(IBookFileReader inner, Action<string> afterRead) : IBookFileReader
{
    public BookFormat DetectFormat(string path) => inner.DetectFormat(path);

    public MetadataReadResult Read(string path, CancellationToken cancellationToken)
    {
        var result = inner.Read(path, cancellationToken);
        afterRead(path);
        return result;
    }
}
