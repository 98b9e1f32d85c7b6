namespace PluginHost.Contracts;

/// <summary>Vitrage's <c>vitrage_category</c> values.</summary>
public static class EntityCategories
{
    /// <summary>A resource (node, VM, switch, ...).</summary>
    public const string Resource = "RESOURCE";
    /// <summary>An alarm, linked <c>on</c> the resource it is raised for.</summary>
    public const string Alarm = "ALARM";
}
