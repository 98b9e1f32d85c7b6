namespace PluginHost.Tests.States;

/// <summary>
/// The datasource values files Vitrage ships (Debian's vitrage-common, unpacked by scripts/test.sh
/// into out/ and named by PLUGINHOST_TEST_VITRAGE_VALUES). Under CI a missing folder fails the
/// test; elsewhere it is skipped, saying why.
/// </summary>
internal static class VitrageValuesFolder
{
    public static string Path
    {
        get
        {
            if (Environment.GetEnvironmentVariable("PLUGINHOST_TEST_VITRAGE_VALUES") is { Length: > 0 } folder
                && File.Exists(System.IO.Path.Combine(folder, "default.yaml")))
            {
                return folder;
            }

            const string reason = "Vitrage's datasource values files are not unpacked (PLUGINHOST_TEST_VITRAGE_VALUES): run the tests with scripts/test.sh";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException(reason);
            }

            Assert.Skip(reason);
            return string.Empty;
        }
    }
}
