using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Booklore.Tasks.Data.Configurations;

internal sealed class LibraryConfiguration : IEntityTypeConfiguration<Library>
{
    public void Configure(EntityTypeBuilder<Library> builder)
    {
        builder.ToTable("libraries");
        builder.Property(library => library.Name).HasMaxLength(200);
        builder.HasIndex(library => library.Name).IsUnique();
        builder.HasMany(library => library.Folders).WithOne().HasForeignKey(folder => folder.LibraryId);
    }
}

internal sealed class LibraryFolderConfiguration : IEntityTypeConfiguration<LibraryFolder>
{
    public void Configure(EntityTypeBuilder<LibraryFolder> builder)
    {
        builder.ToTable("library_folders");
        builder.HasIndex(folder => folder.Path).IsUnique();
    }
}
