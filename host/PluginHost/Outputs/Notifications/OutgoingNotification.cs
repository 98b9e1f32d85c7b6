namespace PluginHost.Outputs.Notifications;

/// <summary>A notification waiting for the broker's confirm; it leaves the buffer only once confirmed.</summary>
internal sealed record OutgoingNotification(string MessageId, string EventType, byte[] Body);
