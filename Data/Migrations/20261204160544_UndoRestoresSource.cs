using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booklore.Tasks.Data.Migrations
{
    /// <inheritdoc />
    public partial class UndoRestoresSource : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "OldSource",
                table: "metadata_changes",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "OldSource",
                table: "metadata_changes");
        }
    }
}
