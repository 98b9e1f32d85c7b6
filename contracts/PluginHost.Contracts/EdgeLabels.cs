namespace PluginHost.Contracts;

/// <summary>Vitrage's edge labels (<c>relationship_type</c>).</summary>
public static class EdgeLabels
{
    public const string On = "on";
    public const string Contains = "contains";
    public const string Causes = "causes";
    public const string Attached = "attached";
    public const string AttachedPublic = "attached_public";
    public const string AttachedPrivate = "attached_private";
    public const string Connect = "connect";
    public const string ManagedBy = "managed_by";
    public const string Comprised = "comprised";

    public static IReadOnlyList<string> All { get; } =
        [On, Contains, Causes, Attached, AttachedPublic, AttachedPrivate, Connect, ManagedBy, Comprised];
}
