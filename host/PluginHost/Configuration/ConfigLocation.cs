namespace PluginHost.Configuration;

/// <summary>Where a config value was written.</summary>
internal sealed record ConfigLocation(string File, int Line)
{
    // Line 0: not a file's line (the command line's options); "(command line):0" read as one.
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}
