using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booklore.Tasks.Data.Migrations
{
    /// <inheritdoc />
    public partial class CancelRequestedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CancelRequestedAt",
                table: "task_runs",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CancelRequestedAt",
                table: "task_runs");
        }
    }
}
