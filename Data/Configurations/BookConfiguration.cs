using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Booklore.Tasks.Data.Configurations;

internal sealed class BookConfiguration : IEntityTypeConfiguration<Book>
{
    public void Configure(EntityTypeBuilder<Book> builder)
    {
        builder.ToTable("books");
        builder.HasIndex(book => book.Path).IsUnique();
        builder.HasIndex(book => book.Fingerprint);
        builder.HasIndex(book => new { book.LibraryId, book.Title });
        builder.Property(book => book.Format).HasConversion<string>().HasMaxLength(10);
        builder.HasOne(book => book.Library).WithMany().HasForeignKey(book => book.LibraryId);
    }
}
