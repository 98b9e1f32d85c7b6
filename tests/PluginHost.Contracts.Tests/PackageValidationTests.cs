using System.Diagnostics;
using PluginHost.Tests.Support;

namespace PluginHost.Contracts.Tests;

/// <summary>
/// SemVer is enforced by <c>dotnet pack</c>: the package is validated against the committed 1.0.0
/// baseline (baseline/PluginHost.Contracts.1.0.0.nupkg), so removing or hiding a public member
/// fails the pack instead of breaking plugins at load time.
/// </summary>
public sealed class PackageValidationTests
{
    private const string DerivedMember = "    public IReadOnlyList<EntityNeighbor> Derived { get; init; } = [];";

    [Theory]
    [InlineData("unchanged contracts", null, null, true)]
    [InlineData("an added public member", DerivedMember, DerivedMember + "\n    /// <summary>Added.</summary>\n    public int Added { get; init; }", true)]
    [InlineData("a public member made internal", DerivedMember, "    internal IReadOnlyList<EntityNeighbor> Derived { get; init; } = [];", false)]
    public async Task Pack_ChangeAgainstTheBaseline_PassesOnlyWhenCompatible(string name, string? replace, string? with, bool packs)
    {
        using var temp = new TempFolder();
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
        {
            File.Copy(Path.Combine(TestRepository.Root, file), temp.Combine(file));
        }

        var project = temp.Combine("contracts", "PluginHost.Contracts");
        CopySources(Path.Combine(TestRepository.Root, "contracts", "PluginHost.Contracts"), project);
        if (replace is not null)
        {
            var source = Path.Combine(project, "EntityUpdate.cs");
            var text = await File.ReadAllTextAsync(source, TestContext.Current.CancellationToken);
            text.ShouldContain(replace, Case.Sensitive, name);
            await File.WriteAllTextAsync(source, text.Replace(replace, with, StringComparison.Ordinal), TestContext.Current.CancellationToken);
        }

        var (exitCode, output) = await PackAsync(project, temp.Combine("out"));

        if (packs)
        {
            exitCode.ShouldBe(0, $"{name}:\n{output}");
        }
        else
        {
            exitCode.ShouldNotBe(0, name);
            output.ShouldContain("CP0002", Case.Sensitive, name); // ApiCompat: a member of the baseline is missing
        }
    }

    private static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }

    private static async Task<(int ExitCode, string Output)> PackAsync(string project, string output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "pack", project, "-c", "Release", "-o", output, "--nologo" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // only the pack this test started
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
