namespace PluginHost.Contracts;

/// <summary>Vitrage's <c>vitrage_category</c> values.</summary>
public static class EntityCategories
{
    public const string Resource = "RESOURCE";
    public const string Alarm = "ALARM";
}
