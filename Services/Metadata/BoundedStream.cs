namespace Booklore.Tasks.Services.Metadata;

/// <summary>Reads whole entries from archives without trusting their declared sizes.</summary>
internal static class BoundedStream
{
    /// <summary>
    /// Reads the stream to its end, or fails once more than <paramref name="maxBytes"/> bytes
    /// arrive, so a zip bomb or a lying size header cannot exhaust memory.
    /// </summary>
    /// <exception cref="BookFileException">The stream contains more than <paramref name="maxBytes"/> bytes.</exception>
    public static byte[] ReadAll(Stream stream, int maxBytes, string entryName, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(entryName, maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static BookFileException TooLarge(string entryName, int maxBytes) =>
        new($"the entry '{entryName}' is larger than the {maxBytes / (1024 * 1024)} MB limit for metadata");
}
