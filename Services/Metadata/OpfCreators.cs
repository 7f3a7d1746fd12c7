using System.Xml.Linq;

namespace Booklore.Tasks.Services.Metadata;

/// <summary>Reads the creators and contributors of an OPF package, with roles and sort names.</summary>
internal static class OpfCreators
{
    /// <summary>
    /// Returns dc:creator elements in document order, then dc:contributor elements that state a
    /// role. A creator without a role is an author; a contributor without one is skipped, because
    /// tools write placeholders such as "unknown" there. The role comes from the EPUB 2 opf:role
    /// attribute or the EPUB 3 "role" refinement, and the sort name from file-as the same way.
    /// </summary>
    public static IReadOnlyList<Contributor> Read(OpfPackage package)
    {
        var contributors = new List<Contributor>();
        var seen = new HashSet<(string, string)>();
        foreach (var creator in package.Elements("creator"))
        {
            Add(package, creator, Contributor.AuthorRole, contributors, seen);
        }

        foreach (var contributor in package.Elements("contributor"))
        {
            Add(package, contributor, defaultRole: null, contributors, seen);
        }

        return contributors;
    }

    private static void Add(OpfPackage package, XElement element, string? defaultRole,
        List<Contributor> contributors, HashSet<(string, string)> seen)
    {
        var name = MetadataNormalizer.CleanText(element.Value);
        var role = MarcRelators.ToRoleWord(OpfPackage.Attribute(element, "role") ?? package.Refinement(element, "role"))
            ?? defaultRole;
        if (name is null || role is null || !seen.Add((name, role)))
        {
            return;
        }

        var sortName = MetadataNormalizer.CleanText(OpfPackage.Attribute(element, "file-as") ?? package.Refinement(element, "file-as"));
        contributors.Add(new Contributor(name, role, sortName));
    }
}
