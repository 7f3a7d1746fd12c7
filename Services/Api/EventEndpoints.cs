using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Booklore.Tasks.Services.Tasks;

namespace Booklore.Tasks.Services.Api;

/// <summary>A Server-Sent Events stream of run state and progress changes.</summary>
public static class EventEndpoints
{
    public static RouteGroupBuilder MapEventEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/events", (TaskRegistry registry, CancellationToken cancellationToken) =>
            TypedResults.ServerSentEvents(StreamAsync(registry, cancellationToken)))
            .WithName("RunEvents");
        return api;
    }

    /// <summary>
    /// Sends the active runs first, so a client that connects mid-run starts from the current
    /// state, then every change. A slow client loses intermediate progress, never its latest state.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<RunSnapshot>> StreamAsync(
        TaskRegistry registry,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<RunSnapshot>(new BoundedChannelOptions(256)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        void OnChanged(RunSnapshot run) => channel.Writer.TryWrite(run);
        registry.RunChanged += OnChanged;
        try
        {
            foreach (var run in registry.GetActiveRuns())
            {
                yield return new SseItem<RunSnapshot>(run, "run");
            }

            await foreach (var run in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return new SseItem<RunSnapshot>(run, "run");
            }
        }
        finally
        {
            registry.RunChanged -= OnChanged;
        }
    }
}
