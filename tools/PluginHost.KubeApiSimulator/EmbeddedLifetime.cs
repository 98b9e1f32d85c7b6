using Microsoft.Extensions.Hosting;

namespace PluginHost.KubeApiSimulator;

/// <summary>A host lifetime that registers no signal handlers: whoever embeds the simulator stops it.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
