namespace PluginHost.Contracts;

/// <summary>The value types of oslo.config that the host validates.</summary>
public enum OptionType
{
    String,
    Int,
    Bool,
    Float,
    List,
    Enum,
    Path,
}
