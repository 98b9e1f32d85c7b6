namespace PluginHost.States;

/// <summary>What loading the values folders found: the values, and the files that could not be used.</summary>
internal sealed record LoadedValues(DatasourceValues Values, IReadOnlyList<string> Errors);

/// <summary>
/// Reads every <c>*.yaml</c> of the values folders, highest precedence first: the operator's
/// <c>[entity_graph] datasources_values_dir</c>, then each plugin's <c>datasources_values/</c>,
/// then the host's own (its <c>default.yaml</c>). A type is defined by the first folder that has a
/// usable file for it; a file with an error is reported and skipped, so the next folder's file for
/// that type (if any) is used instead, and the host goes on.
/// </summary>
internal static class DatasourceValuesLoader
{
    /// <summary>The folder name inside a plugin's folder and beside the host.</summary>
    public const string FolderName = "datasources_values";

    /// <summary>At most this many files per folder are read (a wrong folder must not be read for ever).</summary>
    public const int MaxFilesPerFolder = 1000;

    public static string HostFolder => Path.Combine(AppContext.BaseDirectory, FolderName);

    /// <param name="folders">Highest precedence first; missing folders are skipped.</param>
    /// <param name="datasourceTypes">Entity types the loaded plugins register: without a file they are "undefined datasource".</param>
    public static LoadedValues Load(IEnumerable<string> folders, IEnumerable<string> datasourceTypes)
    {
        var files = new Dictionary<string, ValuesFile>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var folder in folders.Where(Directory.Exists))
        {
            IEnumerable<string> paths;
            try
            {
                paths = Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal).Take(MaxFilesPerFolder).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{folder}: cannot be listed: {e.Message}");
                continue;
            }

            foreach (var path in paths)
            {
                var type = Path.GetFileNameWithoutExtension(path);
                if (files.ContainsKey(type))
                {
                    continue; // a folder of higher precedence defines it
                }

                try
                {
                    files[type] = ValuesFileParser.Parse(path);
                }
                catch (ValuesFileException e)
                {
                    errors.Add($"{e.Message}; the file is skipped (type {type} uses the next values folder's file, or {DatasourceValues.DefaultType})");
                }
            }
        }

        return new LoadedValues(new DatasourceValues(files, datasourceTypes.ToHashSet(StringComparer.Ordinal)), errors);
    }
}
