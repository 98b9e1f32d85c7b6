using System.CommandLine;

namespace PluginHost.Cli;

/// <summary><c>--format table|json</c>.</summary>
internal static class OutputFormat
{
    public const string Table = "table";
    public const string Json = "json";

    public static Option<string> CreateOption() => new Option<string>("--format")
    {
        Description = "table (readable) or json (machine-readable, on standard output only)",
        DefaultValueFactory = _ => Table,
    }.AcceptOnlyFromAmong(Table, Json);
}
