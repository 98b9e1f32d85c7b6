using System.Diagnostics;
using System.Text.Json;
using PluginHost.Configuration;

namespace PluginHost.Tests.Configuration;

/// <summary>
/// Every text of <see cref="OsloIniParserTests"/> (and a few more) read by oslo.config itself —
/// Debian's python3-oslo.config, which scripts/test.sh installs — and by <see cref="OsloIniParser"/>:
/// the same assignments in the same order, and the same texts refused.
/// </summary>
public sealed class OsloIniParserParityTests
{
    private const string Python = "/usr/bin/python3";
    private const string OsloIniParserModule = "/usr/lib/python3/dist-packages/oslo_config/iniparser.py";

    // Reads each text from a real file with oslo.config's own ConfigParser (the one cfg.CONF uses),
    // recording the assignments in order: [section, key, value], or null when it raises ParseError.
    private const string Script = """
        import json, os, sys, tempfile
        from oslo_config import cfg, iniparser

        class Recording(cfg.ConfigParser):
            def __init__(self, filename):
                super().__init__(filename, {})
                self.seen = []

            def assignment(self, key, value):
                super().assignment(key, value)
                self.seen.append([self.section, key, '\n'.join(value)])

        out = []
        for text in json.load(sys.stdin):
            with tempfile.NamedTemporaryFile('w', suffix='.conf', delete=False, encoding='utf-8', newline='') as f:
                f.write(text)
            try:
                parser = Recording(f.name)
                parser.parse()
                out.append(parser.seen)
            except iniparser.ParseError:
                out.append(None)
            finally:
                os.unlink(f.name)
        json.dump(out, sys.stdout)
        """;

    // Where PluginHost reads on purpose what oslo does not: a section name is trimmed (oslo's
    // "[ kubernetes ]" is a section " kubernetes " whose options nothing reads), and "[ ]" is
    // refused (oslo makes it a section " ").
    private static readonly HashSet<string> Deviations = new(StringComparer.Ordinal)
    {
        "section name trimmed",
        "section without a name",
    };

    // case, text: beyond the tables, what a real file may hold
    private static readonly (string Name, string Text)[] More =
    [
        ("a vitrage.conf excerpt", "[DEFAULT]\ndebug = False\ntransport_url = rabbit://vitrage:p@ss@controller:5672/\n\n[datasources]\ntypes = nova.host,nova.instance,\n    kubernetes,\n    static\nsnapshots_interval = 300\n"),
        ("old Mac line ends", "[s]\rk = v\r  w\r"),
        ("a key with spaces", "[s]\nmy key = 1\n"),
        ("a URL key line", "[s]\nhttp://h:1 = x\n"),
        ("a tab-indented comment after a value", "[s]\nk = 1\n\t; c\n"),
        ("quotes around a continued value", "[s]\nk = \"a\n  b\"\n"),
        ("a value that is only quotes", "[s]\nk = ''\n"),
        ("DEFAULT and repeats", "[DEFAULT]\nk = 1\n[DEFAULT]\nk = 2\n"),
    ];

    [Fact]
    public async Task Parse_TheTablesTexts_ReadAsOsloConfigReadsThem()
    {
        File.Exists(OsloIniParserModule).ShouldBeTrue("python3-oslo.config is not installed (apt-get install python3-oslo.config; scripts/test.sh does it)");
        var cases = OsloIniParserTests.Texts.Select(row => (row.Data.Item1, row.Data.Item2))
            .Concat(OsloIniParserTests.Errors.Select(row => (row.Data.Item1, row.Data.Item2)))
            .Concat(More)
            .Where(c => !Deviations.Contains(c.Item1))
            .ToList();

        var oslo = await RunOsloAsync(cases.Select(c => c.Item2).ToList());

        oslo.Count.ShouldBe(cases.Count);
        var differences = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var ours = Ours(cases[i].Item2);
            if (ours != oslo[i])
            {
                differences.Add($"{cases[i].Item1}: oslo.config {oslo[i] ?? "refuses it"}, PluginHost {ours ?? "refuses it"}");
            }
        }

        differences.ShouldBeEmpty();
    }

    private static string? Ours(string text)
    {
        try
        {
            return JsonSerializer.Serialize(OsloIniParser.Parse("parity.conf", text).Select(a => new[] { a.Section, a.Key, a.Value }));
        }
        catch (ConfigException)
        {
            return null;
        }
    }

    private static async Task<List<string?>> RunOsloAsync(List<string> texts)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(texts));
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        process.ExitCode.ShouldBe(0, await stderr);
        using var document = JsonDocument.Parse(await stdout);
        return document.RootElement.EnumerateArray()
            .Select(result => result.ValueKind == JsonValueKind.Null ? null : JsonSerializer.Serialize(result.EnumerateArray().Select(a => a.EnumerateArray().Select(v => v.GetString()).ToArray())))
            .ToList();
    }
}
