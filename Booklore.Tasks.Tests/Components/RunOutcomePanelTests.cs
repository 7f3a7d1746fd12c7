using Booklore.Tasks.Components.Pages.TaskManagement;
using Booklore.Tasks.Data;
using Booklore.Tasks.Services.Tasks;
using Booklore.Tasks.Tests.TestSupport;
using Bunit;

namespace Booklore.Tasks.Tests.Components;

public sealed class RunOutcomePanelTests : BunitTestBase
{
    [Theory]
    [InlineData(1, 0, "1 warning, 0 errors")]
    [InlineData(0, 1, "0 warnings, 1 error")]
    [InlineData(2, 3, "2 warnings, 3 errors")]
    public void Problems_CountOfOne_IsSingular(int warnings, int errors, string expected)
    {
        var finished = Time.GetUtcNow();
        var run = new RunSnapshot
        {
            Id = 7,
            Task = ScriptedTask.TaskKey,
            Trigger = RunTriggers.User,
            Options = new object(),
            State = RunState.Warning,
            Progress = new RunProgress(1, 1, null, null, null),
            Counters = new RunCounters(1, 0, 0, 0, 1, 0, 0),
            StartedAt = finished.AddSeconds(-1),
            FinishedAt = finished,
            Summary = "Checked 1 book.",
            WarningCount = warnings,
            ErrorCount = errors,
        };

        var panel = Render<RunOutcomePanel>(parameters => parameters.Add(component => component.Run, run));

        var facts = panel.FindAll(".run-facts dt").Zip(panel.FindAll(".run-facts dd")).ToDictionary(
            pair => pair.First.TextContent.Trim(), pair => pair.Second.TextContent.Trim());
        Assert.Equal(expected, facts["Problems"]);
    }
}
