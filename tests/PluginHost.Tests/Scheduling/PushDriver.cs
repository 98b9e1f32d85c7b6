using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Tests.Scheduling;

/// <summary>
/// A push datasource whose change streams follow a script: each opening takes the next step
/// (deliver N events then end, or fail at once); the clock time of each opening is recorded.
/// </summary>
internal sealed class PushDriver(TimeProvider time, params int[] script) : IDatasourceDriver, IChangesDriver
{
    public const int Fails = -1;

    private int _step;

    public ConcurrentQueue<DateTimeOffset> Openings { get; } = new();

    public async IAsyncEnumerable<DatasourceEvent> GetAllAsync(DatasourceAction action, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        yield break;
    }

    public async IAsyncEnumerable<DatasourceEvent> GetChangesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Openings.Enqueue(time.GetUtcNow());
        var step = Interlocked.Increment(ref _step) - 1;
        var events = step < script.Length ? script[step] : 0;
        if (events == Fails || step >= script.Length)
        {
            await Task.Yield();
            throw new DatasourceException("stream refused");
        }

        for (var i = 0; i < events; i++)
        {
            yield return new DatasourceEvent("thing", DatasourceAction.Update, time.GetUtcNow(), "push", JsonSerializer.SerializeToElement(new { id = $"{i}" }));
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
