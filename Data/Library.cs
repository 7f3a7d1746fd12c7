namespace Booklore.Tasks.Data;

/// <summary>A named set of folders whose book files form one library.</summary>
public sealed class Library
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public List<LibraryFolder> Folders { get; set; } = [];
}

/// <summary>One root folder of a library, stored as a full path.</summary>
public sealed class LibraryFolder
{
    public int Id { get; set; }
    public int LibraryId { get; set; }
    public required string Path { get; set; }
}
