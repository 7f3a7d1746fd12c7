using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Booklore.Tasks.Data.Configurations;

internal sealed class BookConfiguration : IEntityTypeConfiguration<Book>
{
    public void Configure(EntityTypeBuilder<Book> builder)
    {
        // The trigger that resets RefreshSettledModes is an AFTER UPDATE trigger. EF Core's SQLite notes
        // list such triggers among what its RETURNING form of save does not support, so this table
        // is saved the older way.
        builder.ToTable("books", table => table.UseSqlReturningClause(false));
        builder.HasIndex(book => book.Path).IsUnique();
        builder.HasIndex(book => book.Fingerprint);
        builder.HasIndex(book => new { book.LibraryId, book.Title });
        builder.Property(book => book.Format).HasConversion<string>().HasMaxLength(10);
        builder.HasOne(book => book.Library).WithMany().HasForeignKey(book => book.LibraryId);
    }
}
