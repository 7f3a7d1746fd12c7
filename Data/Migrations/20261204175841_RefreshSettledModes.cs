using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booklore.Tasks.Data.Migrations
{
    /// <inheritdoc />
    public partial class RefreshSettledModes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "RefreshSettledModes",
                table: "books",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // Every column a refresh's merge reads, and the file facts that tell whether the stored
            // file metadata is current. Any write to one of them, from any code path or from a
            // sqlite3 shell, makes the next refresh merge the book again.
            migrationBuilder.Sql("""
                CREATE TRIGGER books_reset_refresh_settled
                AFTER UPDATE OF
                    Path, Format, Title, Subtitle, AuthorsJson, SeriesName, SeriesNumber, SeriesTotal,
                    Publisher, PublishedDate, Language, Description, Isbn10, Isbn13, IdentifiersJson,
                    SubjectsJson, PageCount, Volume, StoryArc, AgeRating, FileMetadataJson,
                    FileMetadataSize, FileMetadataModifiedAt, LockedFields, FieldSourcesJson
                ON books
                WHEN NEW.RefreshSettledModes <> 0
                BEGIN
                    UPDATE books SET RefreshSettledModes = 0 WHERE Id = NEW.Id;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER books_reset_refresh_settled;");

            migrationBuilder.DropColumn(
                name: "RefreshSettledModes",
                table: "books");
        }
    }
}
