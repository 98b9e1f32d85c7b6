namespace PluginHost.Contracts;

/// <summary>
/// One declared configuration option. The host validates values against it, renders it into the
/// sample config (<c>genconfig</c>) and lists it in <c>plugins</c>.
/// </summary>
/// <param name="Name">The key inside the section, e.g. <c>page_size</c>.</param>
/// <param name="Type">How the value is parsed.</param>
/// <param name="Default">The default in config-file spelling; <c>null</c> means "unset".</param>
/// <param name="Help">One or two sentences for the sample config and docs.</param>
public sealed record OptionDefinition(string Name, OptionType Type, string? Default, string Help)
{
    /// <summary>Inclusive lower bound for <see cref="OptionType.Int"/> and <see cref="OptionType.Float"/>.</summary>
    public double? Min { get; init; }

    /// <summary>Inclusive upper bound for <see cref="OptionType.Int"/> and <see cref="OptionType.Float"/>.</summary>
    public double? Max { get; init; }

    /// <summary>The allowed values of an <see cref="OptionType.Enum"/>.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>Never logged or printed back (passwords, tokens, URLs with credentials).</summary>
    public bool Secret { get; init; }

    public static OptionDefinition String(string name, string? @default, string help, bool secret = false) =>
        new(name, OptionType.String, @default, help) { Secret = secret };

    public static OptionDefinition Path(string name, string? @default, string help) =>
        new(name, OptionType.Path, @default, help);

    public static OptionDefinition Int(string name, long? @default, string help, long? min = null, long? max = null) =>
        new(name, OptionType.Int, @default?.ToString(System.Globalization.CultureInfo.InvariantCulture), help)
        {
            Min = min,
            Max = max,
        };

    public static OptionDefinition Float(string name, double? @default, string help, double? min = null, double? max = null) =>
        new(name, OptionType.Float, @default?.ToString(System.Globalization.CultureInfo.InvariantCulture), help)
        {
            Min = min,
            Max = max,
        };

    public static OptionDefinition Bool(string name, bool @default, string help) =>
        new(name, OptionType.Bool, @default ? "true" : "false", help);

    public static OptionDefinition List(string name, string? @default, string help) =>
        new(name, OptionType.List, @default, help);

    public static OptionDefinition Enum(string name, string @default, IReadOnlyList<string> choices, string help) =>
        new(name, OptionType.Enum, @default, help) { Choices = choices };
}
