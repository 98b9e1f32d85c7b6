using System.Globalization;

namespace PluginHost.Contracts;

/// <summary>
/// One declared configuration option. The host validates values against it, renders it into the
/// sample config (<c>genconfig</c>) and lists it in <c>plugins</c>. Declare each option once with a
/// factory (<see cref="Int"/>, <see cref="String"/>, ...) and read its value with
/// <see cref="DatasourceSettings.Get{T}"/>.
/// </summary>
/// <param name="Name">The key inside the section, e.g. <c>page_size</c>.</param>
/// <param name="Type">How the value is parsed.</param>
/// <param name="Default">The default in config-file spelling; <c>null</c> means "unset".</param>
/// <param name="Help">One or two sentences for the sample config and docs.</param>
public abstract record OptionDefinition(string Name, OptionType Type, string? Default, string Help)
{
    /// <summary>Inclusive lower bound of a number.</summary>
    public double? Min { get; init; }

    /// <summary>Inclusive upper bound of a number.</summary>
    public double? Max { get; init; }

    /// <summary>The allowed values of an <see cref="OptionType.Enum"/>.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>Never logged or printed back (passwords, tokens, URLs with credentials).</summary>
    public bool Secret { get; init; }

    /// <summary>
    /// A string of one line; <paramref name="secret"/> ones are never printed back. The host refuses a
    /// non-secret value that oslo's continuation lines run over several lines (an option indented by
    /// mistake), so a plugin may quote the value in its errors.
    /// </summary>
    public static OptionDefinition<string> String(string name, string @default, string help, bool secret = false) =>
        new(name, OptionType.String, @default, help, value => (string?)value ?? string.Empty) { Secret = secret };

    /// <summary>
    /// A file or folder; <c>~</c> is expanded, and a relative path is resolved against the folder of
    /// the config file that sets it. Empty when unset. One line, like <see cref="String"/>.
    /// </summary>
    public static OptionDefinition<string> Path(string name, string @default, string help) =>
        new(name, OptionType.Path, @default, help, value => (string?)value ?? string.Empty);

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static OptionDefinition<int> Int(string name, int @default, string help, int? min = null, int? max = null) =>
        new(name, OptionType.Int, Invariant(@default), help, value => checked((int)(long)value!)) { Min = min, Max = max };

    /// <summary>A number of seconds, read back as a <see cref="TimeSpan"/>.</summary>
    public static OptionDefinition<TimeSpan> Seconds(string name, int @default, string help, int? min = null, int? max = null) =>
        new(name, OptionType.Int, Invariant(@default), help, value => TimeSpan.FromSeconds((long)value!)) { Min = min, Max = max };

    /// <summary>A floating-point number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static OptionDefinition<double> Float(string name, double @default, string help, double? min = null, double? max = null) =>
        new(name, OptionType.Float, @default.ToString(CultureInfo.InvariantCulture), help, value => (double)value!) { Min = min, Max = max };

    /// <summary>A boolean: <c>true/false, yes/no, on/off, 1/0</c>.</summary>
    public static OptionDefinition<bool> Bool(string name, bool @default, string help) =>
        new(name, OptionType.Bool, @default ? "true" : "false", help, value => (bool)value!);

    /// <summary>A comma-separated list, each item trimmed and of one line (the list may go on over lines after a comma).</summary>
    public static OptionDefinition<IReadOnlyList<string>> List(string name, string @default, string help) =>
        new(name, OptionType.List, @default, help, value => (IReadOnlyList<string>?)value ?? []);

    /// <summary>One of <paramref name="choices"/> (case-insensitive; read back as declared).</summary>
    public static OptionDefinition<string> Enum(string name, string @default, IReadOnlyList<string> choices, string help) =>
        new(name, OptionType.Enum, @default, help, value => (string)value!) { Choices = choices };

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An option whose value reads back as <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public sealed record OptionDefinition<T> : OptionDefinition
{
    private readonly Func<object?, T> _convert;

    internal OptionDefinition(string name, OptionType type, string? @default, string help, Func<object?, T> convert)
        : base(name, type, @default, help)
    {
        _convert = convert;
    }

    /// <summary>The typed value from the host's parsed value.</summary>
    internal T Convert(object? parsed) => _convert(parsed);
}
