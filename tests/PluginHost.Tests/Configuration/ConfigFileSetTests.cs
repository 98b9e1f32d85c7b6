using PluginHost.Configuration;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Configuration;

public sealed class ConfigFileSetTests
{
    // Where a value came from, as messages name it: a file's line, or the command line (which has
    // no line: "(command line):0" read as one).
    [Theory]
    [InlineData("a file's line", "/etc/vitrage/vitrage.conf", 12, "/etc/vitrage/vitrage.conf:12")]
    [InlineData("the command line", "(command line)", 0, "(command line)")]
    public void ConfigLocation_ToString_NamesTheFileAndALineOnlyWhenThereIsOne(string name, string file, int line, string expected)
    {
        new ConfigLocation(file, line).ToString().ShouldBe(expected, name);
    }

    [Fact]
    public void Load_TwoFiles_LaterFileOverridesEarlierOne()
    {
        using var temp = new TempFolder();
        var first = temp.File("a.conf", "[datasources]\nsnapshots_interval = 60\ntypes = echo\n");
        var second = temp.File("b.conf", "[datasources]\nsnapshots_interval = 120\n");

        var files = ConfigFileSet.Load([first, second], []);

        files.Get("datasources", "snapshots_interval")!.Value.ShouldBe("120");
        files.Get("datasources", "snapshots_interval")!.Location.ShouldBe(new ConfigLocation(second, 2));
        files.Get("datasources", "types")!.Value.ShouldBe("echo");
    }

    [Fact]
    public void Load_ConfigDir_ReadsConfFilesInNameOrderAfterConfigFiles()
    {
        using var temp = new TempFolder();
        var file = temp.File("main.conf", "[plugin_host]\nlog_level = debug\nevent_log = main\n");
        temp.File("dir/20-b.conf", "[plugin_host]\nlog_level = error\n");
        temp.File("dir/10-a.conf", "[plugin_host]\nlog_level = warning\nevent_log = dir\n");
        temp.File("dir/ignored.txt", "[plugin_host]\nlog_level = info\n");

        var files = ConfigFileSet.Load([file], [temp.Combine("dir")]);

        files.Get("plugin_host", "log_level")!.Value.ShouldBe("error");
        files.Get("plugin_host", "event_log")!.Value.ShouldBe("dir");
    }

    [Fact]
    public void Load_MissingFile_NamesTheFile()
    {
        var error = Should.Throw<ConfigException>(() => ConfigFileSet.Load(["/nonexistent/vitrage.conf"], []));
        error.Errors.ShouldBe(["/nonexistent/vitrage.conf: config file not found"]);
    }

    // Such input used to be read to its end: gigabytes, then an OutOfMemoryException's stack trace.
    [Theory]
    [InlineData("a file past the bound", null)]
    [InlineData("an endless device", "/dev/zero")]
    public void Load_MoreThanTheBound_IsAnErrorNamingTheFile(string name, string? device)
    {
        using var temp = new TempFolder();
        var path = device ?? temp.File("huge.conf", "[DEFAULT]\n# " + new string('x', 16 << 20) + "\n");

        var error = Should.Throw<ConfigException>(() => ConfigFileSet.Load([path], []), name);

        error.Errors.ShouldBe([$"{path}: not a config file: it holds more than 16 MiB"], name);
    }

    // Invalid bytes used to become U+FFFD in silence: a Latin-1 password was sent changed.
    [Theory]
    [InlineData("a Latin-1 password", new byte[] { 0x70, 0xe4, 0x73, 0x73 }, 3)]
    [InlineData("a lone continuation byte", new byte[] { 0x80 }, 3)]
    public void Load_NotUtf8_NamesTheLineButNotItsText(string name, byte[] value, int line)
    {
        using var temp = new TempFolder();
        var path = temp.Combine("latin1.conf");
        File.WriteAllBytes(path, [.. "[keystone_authtoken]\nusername = vitrage\npassword = "u8, .. value, .. "\n"u8]);

        var error = Should.Throw<ConfigException>(() => ConfigFileSet.Load([path], []), name);

        error.Errors.ShouldBe([$"{path}:{line}: this line is not UTF-8 text, which oslo.config reads (its text is not shown: it may hold a secret); save the file as UTF-8"], name);
    }

    [Fact]
    public void Load_Utf8WithAndWithoutBom_ReadsTheSameValue()
    {
        using var temp = new TempFolder();
        var plain = temp.Combine("plain.conf");
        var withBom = temp.Combine("bom.conf");
        File.WriteAllBytes(plain, "[keystone_authtoken]\npassword = pässwort\n"u8.ToArray());
        File.WriteAllBytes(withBom, [0xef, 0xbb, 0xbf, .. "[keystone_authtoken]\npassword = pässwort\n"u8]);

        ConfigFileSet.Load([plain], []).Get("keystone_authtoken", "password")!.Value.ShouldBe("pässwort");
        ConfigFileSet.Load([withBom], []).Get("keystone_authtoken", "password")!.Value.ShouldBe("pässwort");
    }

    [Fact]
    public void Load_UnreadableFile_NamesTheFileAndTheReason()
    {
        using var temp = new TempFolder();
        var folder = temp.Combine("a-folder.conf");
        Directory.CreateDirectory(folder);

        var error = Should.Throw<ConfigException>(() => ConfigFileSet.Load([folder], []));

        error.Errors.Single().ShouldStartWith($"{folder}: ");
    }

    [Fact]
    public void Load_KeyRepeatedInOneFile_KeepsTheLastAndRemembersTheEarlierLines()
    {
        using var temp = new TempFolder();
        var file = temp.File("dup.conf", "[kubernetes]\npage_size = 10\n# comment\npage_size = 20\n[oslo_messaging_rabbit]\nrabbit_hosts = a\nrabbit_hosts = b\n");

        var set = ConfigFileSet.Load([file], []);

        var pageSize = set.Get("kubernetes", "page_size").ShouldNotBeNull();
        pageSize.Value.ShouldBe("20");
        pageSize.Location.Line.ShouldBe(4);
        pageSize.EarlierInFile.Select(l => l.Line).ShouldBe([2]);
        set.Get("oslo_messaging_rabbit", "rabbit_hosts")!.Value.ShouldBe("b"); // oslo's multi-valued options repeat keys
    }

    // A lone \r (old Mac line endings) ends a line for the INI library and for the line numbers;
    // the repeated key's earlier line used to be looked up in text.Split('\n') and threw.
    [Theory]
    [InlineData("\\n", "\n")]
    [InlineData("\\r\\n", "\r\n")]
    [InlineData("\\r", "\r")]
    public void Load_KeyRepeatedWithAnyLineEnding_KeepsTheLastWithItsLine(string name, string newline)
    {
        using var temp = new TempFolder();
        var file = temp.File("dup.conf", string.Join(newline, "[kubernetes]", "page_size = 10", "context = a", "page_size = 20", ""));

        var set = ConfigFileSet.Load([file], []);

        var pageSize = set.Get("kubernetes", "page_size").ShouldNotBeNull(name);
        pageSize.Value.ShouldBe("20", name);
        pageSize.Location.Line.ShouldBe(4, name);
        pageSize.EarlierInFile.Select(l => l.Line).ShouldBe([2], name);
        set.Get("kubernetes", "context")!.Value.ShouldBe("a", name);
    }

    [Theory]
    [InlineData("a plain line", "snapshots_interval 60", "snapshots_interval")]
    [InlineData("a password that lost its key", "S3cr3t-Pa55", "S3cr3t")]
    public void Load_LineWithoutEquals_NamesFileLineAndSectionButNeverQuotesIt(string name, string line, string hidden)
    {
        using var temp = new TempFolder();
        var file = temp.File("bad.conf", $"[datasources]\ntypes = echo\n{line}\n");

        var error = Should.Throw<ConfigException>(() => ConfigFileSet.Load([file], []));

        error.Errors.ShouldBe([$"{file}:3: this line in [datasources] is not 'key = value', a [section] or a comment (its text is not shown: it may hold a secret)"], name);
        error.Message.ShouldNotContain(hidden, Case.Sensitive, name);
    }

    // The second row's "key" runs up to the query's '=' and holds the password: never quoted.
    [Theory]
    [InlineData("an option name", "debug = true", "key 'debug' appears before any [section]")]
    [InlineData("a line that lost its first '='", "transport_url rabbit://u:S3cr3t-Pa55@h/?ssl=1",
        "a key (its text is not shown: it may hold a secret) appears before any [section]")]
    public void Load_KeyBeforeAnySection_IsAnError(string name, string line, string error)
    {
        using var temp = new TempFolder();
        var file = temp.File("nosection.conf", $"{line}\n[DEFAULT]\n");

        var thrown = Should.Throw<ConfigException>(() => ConfigFileSet.Load([file], []));

        thrown.Errors.Single().ShouldStartWith($"{file}:1: {error}", Case.Sensitive, name);
        thrown.Message.ShouldNotContain("S3cr3t", Case.Sensitive, name);
    }

    // oslo.config's iniparser takes one pair of matching quotes, double or single, off a value.
    [Theory]
    [InlineData("double quotes", "\"prod cluster\"", "prod cluster")]
    [InlineData("single quotes", "'prod cluster'", "prod cluster")]
    [InlineData("single quotes around a password", "  'p@ss\"word'  ", "p@ss\"word")]
    [InlineData("single quotes inside double ones: one pair only", "\"'a'\"", "'a'")]
    [InlineData("double quotes inside single ones: one pair only", "'\"a\"'", "\"a\"")]
    [InlineData("unmatched", "'prod", "'prod")]
    [InlineData("a lone quote: empty, as oslo's value[1:-1]", "'", "")]
    [InlineData("empty quotes", "''", "")]
    [InlineData("quotes inside", "it's", "it's")]
    public void Load_QuotedValueAndComments_FollowOslo(string name, string written, string value)
    {
        using var temp = new TempFolder();
        var file = temp.File("q.conf", $"; comment\n# comment\n[kubernetes]\ncontext = {written}\n");

        var files = ConfigFileSet.Load([file], []);

        files.Get("kubernetes", "context")!.Value.ShouldBe(value, name);
    }
}
