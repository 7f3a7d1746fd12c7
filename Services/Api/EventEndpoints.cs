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
        api.MapGet("/events", (TaskRegistry registry, IHostApplicationLifetime lifetime, CancellationToken cancellationToken) =>
            TypedResults.ServerSentEvents(StreamAsync(registry, lifetime.ApplicationStopping, cancellationToken)))
            .WithName("RunEvents");
        return api;
    }

    /// <summary>
    /// Sends a "snapshot" event with the active runs first, so a client that connects mid-run
    /// starts from the current state and can tell that it is subscribed, then a "run" event per change.
    /// A slow client loses intermediate progress but still gets each run's later events. The
    /// stream ends when the server begins to stop, so that shutdown does not wait for the client.
    /// The client then misses the final Interrupted events and reads them after reconnecting.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<object>> StreamAsync(
        TaskRegistry registry,
        CancellationToken applicationStopping,
        [EnumeratorCancellation] CancellationToken requestAborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(applicationStopping, requestAborted);
        var cancellationToken = linked.Token;
        var channel = Channel.CreateBounded<RunSnapshot>(new BoundedChannelOptions(256)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        void OnChanged(RunSnapshot run) => channel.Writer.TryWrite(run);
        var active = registry.SubscribeWithSnapshot(OnChanged);
        try
        {
            yield return new SseItem<object>(active, "snapshot");
            while (await WaitToReadAsync(channel.Reader, cancellationToken))
            {
                while (channel.Reader.TryRead(out var run))
                {
                    yield return new SseItem<object>(run, "run");
                }
            }
        }
        finally
        {
            registry.RunChanged -= OnChanged;
        }
    }

    /// <summary>False once the client has gone or the server is stopping.</summary>
    private static async Task<bool> WaitToReadAsync(ChannelReader<RunSnapshot> reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.WaitToReadAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
