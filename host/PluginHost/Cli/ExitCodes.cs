namespace PluginHost.Cli;

/// <summary>The process exit codes every verb uses.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int DatasourceFailed = 1;
    public const int BadConfiguration = 2;
}
