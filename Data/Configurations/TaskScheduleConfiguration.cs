using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Booklore.Tasks.Data.Configurations;

internal sealed class TaskScheduleConfiguration : IEntityTypeConfiguration<TaskSchedule>
{
    public void Configure(EntityTypeBuilder<TaskSchedule> builder)
    {
        builder.ToTable("task_schedules");
        builder.HasKey(schedule => schedule.TaskKey);
        builder.Property(schedule => schedule.TaskKey).HasMaxLength(64);
        builder.Property(schedule => schedule.CronExpression).HasMaxLength(100);
    }
}
