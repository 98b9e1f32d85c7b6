using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Kubernetes.Connection;

/// <summary>
/// Runs a client-go exec credential plugin (<c>user.exec</c>) once: the kubeconfig's command,
/// args and env plus <c>KUBERNETES_EXEC_INFO</c>, no terminal and no stdin, output bounded and the
/// command's run bounded by <c>request_timeout</c>; whatever it started is stopped when the run
/// ends (<see cref="ExecRunProcesses"/>), and a child holding its output open does not keep the
/// run going after the command exited. Every failure is one line naming the command, the exit
/// code and the first line of its stderr (without the values of its <c>env</c>, nor those of its
/// <c>args</c> that follow a credential's name) — never its stdout, which holds the credential.
/// </summary>
internal sealed class ExecCredentialPlugin(ExecConfig exec, string userName, KubeCluster cluster, TimeSpan timeout)
{
    private const int MaxStdoutBytes = 1 << 20;
    private const int MaxStderrLine = 400;

    // After the command exited, how long its output may take to end (see WaitForOutputEndAsync).
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(1);

    // Shorter values (a "1", a "true") are no secret, and replacing them would garble the line.
    private const int MinSecretLength = 4;

    public string Command => exec.Command;

    public async Task<ExecCredential> RunAsync(CancellationToken cancellationToken)
    {
        await using var run = Start();
        var process = run.Process;
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var stdout = ReadBoundedAsync(process.StandardOutput.BaseStream, reading.Token);
        var stderr = FirstLineAsync(process.StandardError.BaseStream, reading.Token);
        byte[]? output;
        string? errorLine;
        try
        {
            await WaitForExitAsync(process, stdout, cancellationToken).ConfigureAwait(false);
            await WaitForOutputEndAsync(run, Task.WhenAll(stdout, stderr)).ConfigureAwait(false);
            output = await stdout.ConfigureAwait(false);
            errorLine = await stderr.ConfigureAwait(false);
        }
        finally
        {
            await reading.CancelAsync().ConfigureAwait(false); // a read still waiting on a pipe ends with the run
        }

        if (process.ExitCode != 0)
        {
            throw Failure($"failed with exit code {process.ExitCode}" + (errorLine is { Length: > 0 } line ? $": {Shown(line)}" : string.Empty));
        }

        if (output is null)
        {
            throw Failure("printed more than 1 MiB");
        }

        try
        {
            return ExecCredential.Parse(output, exec.ApiVersion);
        }
        catch (FormatException e)
        {
            throw Failure($"printed no usable ExecCredential: {e.Message}");
        }
    }

    // The command's own run is what request_timeout bounds; its output passing the bound ends it early.
    private async Task WaitForExitAsync(Process process, Task<byte[]?> stdout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var exited = process.WaitForExitAsync(deadline.Token);
            if (await Task.WhenAny(exited, stdout).ConfigureAwait(false) == stdout && await stdout.ConfigureAwait(false) is null)
            {
                throw Failure("printed more than 1 MiB");
            }

            await exited.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw Failure($"did not finish within {timeout.TotalSeconds:0} s ([kubernetes] request_timeout) and was stopped");
        }
    }

    // The pipes end when the last process holding them lets go: normally with the command. A child
    // it started in the background (sleep 300 &, a daemon that kept its stdout) holds them for as
    // long as it runs, and kubectl waits as long. The command's exit is its answer: after
    // a grace for such a child to finish writing, what is left of the run is stopped, which ends
    // the pipes, and what the command printed is used.
    private async Task WaitForOutputEndAsync(ExecRunProcesses run, Task output)
    {
        if (await EndsWithinAsync(output).ConfigureAwait(false))
        {
            return;
        }

        await run.StopAllAsync().ConfigureAwait(false);
        if (!await EndsWithinAsync(output).ConfigureAwait(false))
        {
            throw Failure("exited, but a process it started keeps its output open and could not be stopped");
        }
    }

    private static async Task<bool> EndsWithinAsync(Task task) =>
        await Task.WhenAny(task, Task.Delay(OutputGrace)).ConfigureAwait(false) == task;

    private ExecRunProcesses Start()
    {
        var start = new ProcessStartInfo(exec.Command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in exec.Args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in exec.Env)
        {
            start.Environment[name] = value;
        }

        start.Environment["KUBERNETES_EXEC_INFO"] = ExecInfo();
        try
        {
            var run = ExecRunProcesses.Start(start);
            run.Process.StandardInput.Close(); // never interactive: a plugin that prompts reads end-of-file
            return run;
        }
        catch (Win32Exception e)
        {
            var hint = exec.InstallHint is { Length: > 0 } text ? "; " + string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) : string.Empty;
            throw Failure($"cannot be started: {e.Message}{hint}");
        }
    }

    // What client-go passes: interactive is always false here (no terminal), cluster only when asked.
    private string ExecInfo()
    {
        var spec = new Dictionary<string, object> { ["interactive"] = false };
        if (exec.ProvideClusterInfo)
        {
            var info = new Dictionary<string, object> { ["server"] = cluster.Server ?? string.Empty };
            if (cluster.TlsServerName is { } name)
            {
                info["tls-server-name"] = name;
            }

            if (cluster.InsecureSkipTlsVerify)
            {
                info["insecure-skip-tls-verify"] = true;
            }

            if (cluster.CertificateAuthorityData is { } ca)
            {
                info["certificate-authority-data"] = Convert.ToBase64String(ca);
            }

            spec["cluster"] = info;
        }

        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["apiVersion"] = exec.ApiVersion,
            ["kind"] = "ExecCredential",
            ["spec"] = spec,
        });
    }

    // Null when the output is larger than the bound (the caller reports it).
    private static async Task<byte[]?> ReadBoundedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxStdoutBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    // Keeps the first non-empty line and drains the rest, so a chatty plugin never blocks on a full pipe.
    private static async Task<string?> FirstLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var kept = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (kept.Length < 8192)
            {
                kept.Write(chunk, 0, read);
            }
        }

        return Encoding.UTF8.GetString(kept.ToArray()).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
    }

    // The kubeconfig's env and args are how a plugin is given its secrets (a Vault token, a
    // password), and a failing plugin often says what it was given: those values never reach the
    // message. Replaced before the line is cut, so that no secret is left half-shown at the cut.
    private string Shown(string line)
    {
        foreach (var value in exec.Env.Select(e => e.Value).Concat(SecretArgValues(exec.Args)))
        {
            if (value.Length >= MinSecretLength)
            {
                line = line.Replace(value, "***", StringComparison.Ordinal);
            }
        }

        return line.Length > MaxStderrLine ? line[..MaxStderrLine] + "…" : line;
    }

    // Parts of an option's name that say its value is a credential: --token, --password, --passwd,
    // --client-secret, --api-key, --credentials, VAULT_TOKEN=… (an "env NAME=value cmd" command).
    private static readonly string[] SecretNameParts = ["token", "pass", "secret", "key", "cred"];

    /// <summary>
    /// The values <paramref name="args"/> give to options whose name says they are a credential:
    /// <c>--token=VALUE</c>, <c>--password VALUE</c> (the next argument), <c>NAME_TOKEN=VALUE</c>.
    /// Before: only the env's values were hidden, and a plugin run as <c>vault-login --password s3cret</c>
    /// that echoed its arguments on failure put the password in the error and the log. A value
    /// given with no option name before it cannot be told from any other argument and is shown.
    /// </summary>
    internal static IEnumerable<string> SecretArgValues(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                if (IsSecretName(arg[..equals]))
                {
                    yield return arg[(equals + 1)..];
                }
            }
            else if (arg.StartsWith('-') && IsSecretName(arg) && i + 1 < args.Count)
            {
                yield return args[++i]; // "--password VALUE": whatever follows is the value, a leading '-' too
            }
        }
    }

    private static bool IsSecretName(string name) =>
        SecretNameParts.Any(part => name.TrimStart('-').Contains(part, StringComparison.OrdinalIgnoreCase));

    private DatasourceException Failure(string what) =>
        new($"exec plugin '{exec.Command}' of user '{userName}' {what}");
}
