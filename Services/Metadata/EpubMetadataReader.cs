using System.IO.Compression;
using System.Xml;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>Reads the package document (OPF) metadata of an EPUB 2 or EPUB 3 file.</summary>
internal static class EpubMetadataReader
{
    /// <summary>Largest container.xml or OPF entry read; real package documents are far smaller.</summary>
    internal const int MaxXmlEntryBytes = 8 * 1024 * 1024;

    private const string ContainerPath = "META-INF/container.xml";

    /// <param name="zip">The EPUB's zip, or null when its central directory could not be read.</param>
    /// <exception cref="BookFileException">The EPUB cannot be read; the message is the reason.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static BookMetadata Read(ZipArchive? zip, CancellationToken cancellationToken)
    {
        if (zip is null)
        {
            throw new BookFileException("the zip is truncated or corrupt");
        }

        var opfEntry = FindPackageDocument(zip, cancellationToken);
        var opfBytes = ReadEntry(opfEntry, cancellationToken);
        try
        {
            return OpfMetadataParser.Parse(opfBytes);
        }
        catch (XmlException exception)
        {
            throw new BookFileException($"the package document '{opfEntry.FullName}' is not well-formed XML ({exception.Message})", exception);
        }
    }

    /// <summary>
    /// Returns the first rootfile listed in META-INF/container.xml. Without a usable container,
    /// falls back to the only .opf entry in the zip.
    /// </summary>
    private static ZipArchiveEntry FindPackageDocument(ZipArchive zip, CancellationToken cancellationToken)
    {
        var container = FindEntry(zip, ContainerPath);
        var rootfilePath = container is null ? null : ReadFirstRootfilePath(container, cancellationToken);
        var rootfile = rootfilePath is null ? null : FindEntry(zip, rootfilePath);
        if (rootfile is not null)
        {
            return rootfile;
        }

        var packageDocuments = zip.Entries
            .Where(entry => entry.FullName.EndsWith(".opf", StringComparison.OrdinalIgnoreCase))
            .ToList();

        return packageDocuments.Count switch
        {
            1 => packageDocuments[0],
            0 => throw new BookFileException("the EPUB has no package document (OPF)"),
            _ => throw new BookFileException("the EPUB has no usable META-INF/container.xml and several package documents (OPF)"),
        };
    }

    private static string? ReadFirstRootfilePath(ZipArchiveEntry container, CancellationToken cancellationToken)
    {
        try
        {
            // A streaming read: container.xml is read for one attribute on every EPUB.
            using var reader = SafeXml.CreateReader(ReadEntry(container, cancellationToken));
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element
                    && reader.LocalName.Equals("rootfile", StringComparison.OrdinalIgnoreCase)
                    && FullPathAttribute(reader) is { } rootfile)
                {
                    return Uri.UnescapeDataString(rootfile.Trim().TrimStart('/'));
                }
            }

            return null;
        }
        catch (XmlException)
        {
            // A malformed container is handled like a missing one: look for the only OPF.
            return null;
        }
    }

    // The full-path attribute in any namespace and any letter case, when it is not blank.
    private static string? FullPathAttribute(XmlReader reader)
    {
        while (reader.MoveToNextAttribute())
        {
            if (reader.LocalName.Equals("full-path", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(reader.Value))
            {
                return reader.Value;
            }
        }

        return null;
    }

    // Exact match first, then case-insensitive, because some zips differ in case from the container.
    private static ZipArchiveEntry? FindEntry(ZipArchive zip, string fullName) =>
        zip.Entries.FirstOrDefault(entry => entry.FullName.Equals(fullName, StringComparison.Ordinal))
        ?? zip.Entries.FirstOrDefault(entry => entry.FullName.Equals(fullName, StringComparison.OrdinalIgnoreCase));

    private static byte[] ReadEntry(ZipArchiveEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Length > MaxXmlEntryBytes)
        {
            throw BoundedStream.TooLarge(entry.FullName, MaxXmlEntryBytes);
        }

        try
        {
            using var content = entry.Open();
            return BoundedStream.ReadAll(content, MaxXmlEntryBytes, entry.FullName, cancellationToken);
        }
        catch (InvalidDataException exception)
        {
            throw new BookFileException($"the zip entry '{entry.FullName}' is corrupt or uses an unsupported compression method", exception);
        }
    }
}
