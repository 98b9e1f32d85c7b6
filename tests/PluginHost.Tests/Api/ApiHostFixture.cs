namespace PluginHost.Tests.Api;

/// <summary>One running host (20 simulated OpenStack nodes, noauth) shared by a test class.</summary>
public sealed class ApiHostFixture : IAsyncLifetime
{
    public const int Nodes = 20;

    internal ApiHostProcess Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await ApiHostProcess.StartAsync(Nodes);

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
