using System.Xml.Linq;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>
/// The metadata elements of an OPF package document, looked up by local name in any namespace
/// and any letter case, so custom prefixes ("mydc:title"), the OEBPS 1.2 "dc:Title" spelling
/// and a namespace-prefixed "opf:metadata" all read alike.
/// </summary>
internal sealed class OpfPackage
{
    private readonly List<XElement> _elements;
    private readonly Dictionary<string, List<XElement>> _refinements;

    private OpfPackage(List<XElement> elements)
    {
        _elements = elements;
        _refinements = elements
            .Where(element => IsNamed(element, "meta") && Attribute(element, "refines") is not null)
            .GroupBy(element => Attribute(element, "refines")!.TrimStart('#'), StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.ToList(), StringComparer.Ordinal);
    }

    /// <exception cref="BookFileException">The document has no metadata element.</exception>
    public static OpfPackage From(XDocument document)
    {
        var metadata = document.Descendants().FirstOrDefault(element => IsNamed(element, "metadata"))
            ?? throw new BookFileException("the package document (OPF) has no metadata element");

        // Descendants rather than children: OEBPS 1.2 nests Dublin Core inside <dc-metadata>.
        return new OpfPackage(metadata.Descendants().ToList());
    }

    /// <summary>Elements with the local name, such as "title" for dc:title, in document order.</summary>
    public IEnumerable<XElement> Elements(string localName) =>
        _elements.Where(element => IsNamed(element, localName));

    /// <summary>
    /// The value of an EPUB 2 "meta name=... content=..." element, or of an EPUB 3
    /// "meta property=..." element that refines nothing.
    /// </summary>
    public string? Meta(string name)
    {
        foreach (var meta in Elements("meta"))
        {
            if (string.Equals(Attribute(meta, "name"), name, StringComparison.OrdinalIgnoreCase))
            {
                return Attribute(meta, "content");
            }

            if (string.Equals(Attribute(meta, "property"), name, StringComparison.OrdinalIgnoreCase)
                && Attribute(meta, "refines") is null)
            {
                return meta.Value;
            }
        }

        return null;
    }

    /// <summary>The first EPUB 3 refinement with the property ("role", "file-as") of the element with the id.</summary>
    public string? Refinement(XElement element, string property)
    {
        var id = Attribute(element, "id");
        if (id is null || !_refinements.TryGetValue(id, out var metas))
        {
            return null;
        }

        var match = metas.FirstOrDefault(meta =>
            string.Equals(Attribute(meta, "property"), property, StringComparison.OrdinalIgnoreCase));
        return match?.Value;
    }

    /// <summary>Gets an attribute by local name in any namespace and any letter case ("opf:role", "role").</summary>
    public static string? Attribute(XElement element, string localName)
    {
        foreach (var attribute in element.Attributes())
        {
            if (string.Equals(attribute.Name.LocalName, localName, StringComparison.OrdinalIgnoreCase))
            {
                return attribute.Value;
            }
        }

        return null;
    }

    private static bool IsNamed(XElement element, string localName) =>
        string.Equals(element.Name.LocalName, localName, StringComparison.OrdinalIgnoreCase);
}
