using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PluginHost.Contracts;

namespace PluginHost.TestPlugins.Echo;

/// <summary>
/// Reports one <c>echo.thing</c> per line of <c>entities_file</c> (<c>id</c> or <c>id state</c>),
/// linked to a <c>nova.instance</c> placeholder of the same id. A line <c>FAIL</c> makes the
/// listing throw at that point; <c>FAIL text</c> throws with that text (<c>\n</c> and <c>\e</c>
/// become a newline and ESC, as a hostile server's error message would carry them). Each event carries the Scriban version the plugin loaded and the load context it came from.
/// </summary>
public sealed class EchoPlugin : IDatasourcePlugin
{
    public string Name => "echo";

    internal static readonly OptionDefinition<string> EntitiesFile = OptionDefinition.Path("entities_file", string.Empty, "File with one entity id per line.");
    internal static readonly OptionDefinition<bool> FailOnCreate = OptionDefinition.Bool("fail_on_create", false, "Throw from CreateDriver (not a configuration error).");
    internal static readonly OptionDefinition<bool> RejectConfig = OptionDefinition.Bool("reject_config", false, "Throw DatasourceConfigurationException from CreateDriver.");
    internal static readonly OptionDefinition<int> CreateDelay = OptionDefinition.Int("create_delay_ms", 0,
        "Block in CreateDriver this long, like a slow exec credential plugin.", min: 0, max: 60_000);

    internal static readonly OptionDefinition<int> LineDelay = OptionDefinition.Int("line_delay_ms", 0,
        "Wait this long before each entity, like a slow API.", min: 0, max: 60_000);

    internal static readonly OptionDefinition<int> CloseDelay = OptionDefinition.Int("close_delay_ms", 0,
        "Take this long to close the driver, ignoring any deadline, like a connection that hangs on close.", min: 0, max: 600_000);

    internal static readonly OptionDefinition<bool> FailOnClose = OptionDefinition.Bool("fail_on_close", false, "Throw from DisposeAsync, like a connection that breaks on close.");

    public IReadOnlyList<OptionDefinition> Options { get; } = [EntitiesFile, FailOnCreate, RejectConfig, CreateDelay, LineDelay, CloseDelay, FailOnClose];

    public IReadOnlyDictionary<string, IEntityTransformer> CreateTransformers(DatasourceSettings settings) =>
        new Dictionary<string, IEntityTransformer> { ["echo.thing"] = new EchoTransformer() };

    public IDatasourceDriver CreateDriver(DatasourceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Settings.Get(CreateDelay) is > 0 and var delay)
        {
            context.Logger.LogInformation("echo: creating the driver takes {Delay} ms", delay);
            Thread.Sleep(delay);
        }

        if (context.Settings.Get(RejectConfig))
        {
            throw new DatasourceConfigurationException("echo: reject_config is set");
        }

        return context.Settings.Get(FailOnCreate)
            ? throw new InvalidOperationException("echo: fail_on_create is set")
            : new EchoDriver(context);
    }
}

internal sealed class EchoDriver(DatasourceContext context) : IDatasourceDriver
{
    public async IAsyncEnumerable<DatasourceEvent> GetAllAsync(DatasourceAction action, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scriban = typeof(Scriban.Template).Assembly.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var scribanContext = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(typeof(Scriban.Template).Assembly)?.Name ?? "none";
        var lines = await File.ReadAllLinesAsync(context.Settings.Get(EchoPlugin.EntitiesFile), cancellationToken);
        foreach (var line in lines.Where(l => l.Trim().Length > 0))
        {
            if (line.Trim() == "FAIL")
            {
                throw new DatasourceException("echo: FAIL line reached");
            }

            if (line.StartsWith("FAIL ", StringComparison.Ordinal))
            {
                throw new DatasourceException("echo: " + line[5..].Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\e", "\u001b", StringComparison.Ordinal));
            }

            if (context.Settings.Get(EchoPlugin.LineDelay) is > 0 and var delay)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(delay), context.Time, cancellationToken);
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            yield return new DatasourceEvent("echo.thing", action, context.Time.GetUtcNow(), context.Name,
                JsonSerializer.SerializeToElement(new Dictionary<string, string>
                {
                    ["id"] = parts[0],
                    ["state"] = parts.Length > 1 ? parts[1] : "ok",
                    ["scriban_version"] = scriban,
                    ["scriban_context"] = scribanContext,
                }));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (context.Settings.Get(EchoPlugin.CloseDelay) is > 0 and var delay)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay), context.Time, CancellationToken.None);
        }

        if (context.Settings.Get(EchoPlugin.FailOnClose))
        {
            throw new IOException("echo: fail_on_close is set");
        }
    }
}

internal sealed class EchoTransformer : IEntityTransformer
{
    public EntityUpdate Transform(DatasourceEvent datasourceEvent)
    {
        var id = datasourceEvent.Properties.GetProperty("id").GetString()!;
        return new EntityUpdate(
            new EntityVertex("echo.thing", id)
            {
                Name = "thing-" + id,
                State = datasourceEvent.Properties.GetProperty("state").GetString(),
                Properties = new Dictionary<string, object?> { ["scriban_version"] = datasourceEvent.Properties.GetProperty("scriban_version").GetString() },
            },
            [new EntityNeighbor(new EntityVertex("nova.instance", id), EdgeLabels.Contains, EdgeDirection.ToVertex)],
            GraphAction.Create);
    }
}
