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
    /// Sends a "snapshot" event with the active runs first, so a client that connects mid-run
    /// starts from the current state and can tell that it is subscribed, then a "run" event per change.
    /// A slow client loses intermediate progress but still gets each run's later events.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<object>> StreamAsync(
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
            yield return new SseItem<object>(registry.GetActiveRuns(), "snapshot");
            await foreach (var run in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return new SseItem<object>(run, "run");
            }
        }
        finally
        {
            registry.RunChanged -= OnChanged;
        }
    }
}
