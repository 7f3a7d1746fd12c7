using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booklore.Tasks.Data.Migrations
{
    /// <inheritdoc />
    public partial class FileMetadataAndUndo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "UndoneAt",
                table: "task_runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OldJson",
                table: "metadata_changes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FileMetadataJson",
                table: "books",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FileMetadataModifiedAt",
                table: "books",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FileMetadataSize",
                table: "books",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "UndoneAt",
                table: "task_runs");

            migrationBuilder.DropColumn(
                name: "OldJson",
                table: "metadata_changes");

            migrationBuilder.DropColumn(
                name: "FileMetadataJson",
                table: "books");

            migrationBuilder.DropColumn(
                name: "FileMetadataModifiedAt",
                table: "books");

            migrationBuilder.DropColumn(
                name: "FileMetadataSize",
                table: "books");
        }
    }
}
