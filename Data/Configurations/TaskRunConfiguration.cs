using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Booklore.Tasks.Data.Configurations;

internal sealed class TaskRunConfiguration : IEntityTypeConfiguration<TaskRun>
{
    public void Configure(EntityTypeBuilder<TaskRun> builder)
    {
        builder.ToTable("task_runs");
        builder.Property(run => run.TaskKey).HasMaxLength(64);
        builder.Property(run => run.Trigger).HasMaxLength(32);
        builder.Property(run => run.State).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(run => new { run.TaskKey, run.QueuedAt });
        builder.HasIndex(run => run.State);
        builder.HasMany(run => run.Issues).WithOne().HasForeignKey(issue => issue.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TaskRunIssueConfiguration : IEntityTypeConfiguration<TaskRunIssue>
{
    public void Configure(EntityTypeBuilder<TaskRunIssue> builder)
    {
        builder.ToTable("task_run_issues");
        builder.Property(issue => issue.Severity).HasConversion<string>().HasMaxLength(16);
    }
}

internal sealed class MetadataChangeConfiguration : IEntityTypeConfiguration<MetadataChange>
{
    public void Configure(EntityTypeBuilder<MetadataChange> builder)
    {
        builder.ToTable("metadata_changes");
        builder.Property(change => change.Field).HasConversion<string>().HasMaxLength(32);
        builder.HasIndex(change => change.RunId);
        builder.HasIndex(change => change.BookId);
        builder.HasOne<TaskRun>().WithMany().HasForeignKey(change => change.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
