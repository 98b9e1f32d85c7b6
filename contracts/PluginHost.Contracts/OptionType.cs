namespace PluginHost.Contracts;

/// <summary>The value types of oslo.config that the host validates.</summary>
public enum OptionType
{
    /// <summary>Any text.</summary>
    String,

    /// <summary>A 64-bit integer with optional bounds.</summary>
    Int,

    /// <summary><c>true/false, yes/no, on/off, 1/0</c>.</summary>
    Bool,

    /// <summary>A floating-point number with optional bounds.</summary>
    Float,

    /// <summary>Comma-separated, trimmed items.</summary>
    List,

    /// <summary>One of the declared choices.</summary>
    Enum,

    /// <summary>A path: <c>~</c> expanded, relative to the config file that sets it.</summary>
    Path,
}
