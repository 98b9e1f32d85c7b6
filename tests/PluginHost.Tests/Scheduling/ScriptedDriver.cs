using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Tests.Scheduling;

/// <summary>A datasource driver whose every call is recorded and can fail or block on demand.</summary>
internal sealed class ScriptedDriver(TimeProvider time) : IDatasourceDriver
{
    public ConcurrentQueue<(DatasourceAction Action, DateTimeOffset At)> Calls { get; } = new();

    public bool Fail { get; set; }

    /// <summary>When set, each call waits for it (a slow datasource).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public int Running;

    public bool Cancelled { get; private set; }

    /// <summary>Timers the clock had created when the latest call started (the runner waits on a newer one).</summary>
    public int TimersAtLastCall { get; private set; }

    public async IAsyncEnumerable<DatasourceEvent> GetAllAsync(DatasourceAction action, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        TimersAtLastCall = (time as CountingTimeProvider)?.TimersCreated ?? 0;
        Calls.Enqueue((action, time.GetUtcNow()));
        Interlocked.Increment(ref Running);
        try
        {
            if (Gate is { } gate)
            {
                try
                {
                    await gate.Task.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Cancelled = true;
                    throw;
                }
            }

            if (Fail)
            {
                throw new DatasourceException("scripted failure");
            }

            yield return new DatasourceEvent("thing", action, time.GetUtcNow(), "scripted", JsonSerializer.SerializeToElement(new { id = "1" }));
        }
        finally
        {
            Interlocked.Decrement(ref Running);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
