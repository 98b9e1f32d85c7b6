using PluginHost.Outputs.Notifications;

namespace PluginHost.Configuration;

/// <summary>The notification output's validated settings; <c>null</c> in <see cref="HostSettings"/> when it is off.</summary>
internal sealed record NotificationSettings(
    TransportUrl Transport,
    string Exchange,
    string PublisherId,
    IReadOnlyList<string> Topics,
    bool Durable,
    bool AutoDelete,
    bool Ssl,
    string? SslCaFile,
    string? SslCertFile,
    string? SslKeyFile,
    int Buffer,
    TimeSpan FlushTimeout,
    TimeSpan FullWait);
