using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using PluginHost.Contracts;

namespace PluginHost.Datasources.Static;

/// <summary>
/// Reads the static folder. <c>get_all</c> reports every entity; <c>get_changes</c> reports only
/// entities added, changed or removed since the last read. A file that does not parse is logged
/// and skipped, and its last good content stays.
/// </summary>
internal sealed class StaticDriver(DatasourceContext context, string directory) : IDatasourceDriver, IChangesDriver
{
    private readonly Dictionary<string, (string Hash, StaticFile File)> _goodFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _failedHashes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _failedReads = new(StringComparer.Ordinal);
    private SortedDictionary<string, JsonObject> _reported = new(StringComparer.Ordinal);

    public async IAsyncEnumerable<DatasourceEvent> GetAllAsync(DatasourceAction action, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var current = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var sampleTime = context.Time.GetUtcNow();
        foreach (var body in current.Values)
        {
            yield return Event(body, action, sampleTime);
        }

        _reported = current; // only once all of it went out: a pass stopped half-way is sent again, not lost
    }

    public async IAsyncEnumerable<DatasourceEvent> GetChangesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var current = await ReadAsync(cancellationToken).ConfigureAwait(false);
        var sampleTime = context.Time.GetUtcNow();
        var previous = _reported;
        foreach (var (key, body) in current)
        {
            if (!previous.TryGetValue(key, out var before) || !JsonNode.DeepEquals(before, body))
            {
                yield return Event(body, DatasourceAction.Update, sampleTime);
            }
        }

        foreach (var (key, body) in previous)
        {
            if (!current.ContainsKey(key))
            {
                var removed = (JsonObject)body.DeepClone();
                removed[StaticEventKeys.Deleted] = true;
                yield return Event(removed, DatasourceAction.Update, sampleTime);
            }
        }

        _reported = current;
    }

    private async Task<SortedDictionary<string, JsonObject>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            throw new DatasourceException($"static folder {directory} ([static] directory) does not exist");
        }

        var paths = Directory.EnumerateFiles(directory)
            .Where(p => p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var gone in _goodFiles.Keys.Except(paths).ToList())
        {
            _goodFiles.Remove(gone);
            context.Logger.LogInformation("Static file {File} was removed; its entities are removed", gone);
        }

        foreach (var path in paths)
        {
            string text;
            try
            {
                text = await StaticFileReader.ReadAsync(path, cancellationToken).ConfigureAwait(false);
                _failedReads.Remove(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or StaticFileException)
            {
                // Logged when the failure is new, not every changes_interval while it lasts.
                var message = e is StaticFileException ? e.Message : $"Static file {path} cannot be read ({e.Message})";
                if (_failedReads.GetValueOrDefault(path) != message)
                {
                    _failedReads[path] = message;
                    context.Logger.LogError("{Error}; {Kept}", message, Kept(path));
                }

                continue;
            }

            var hash = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
            if ((_goodFiles.TryGetValue(path, out var good) && good.Hash == hash) || _failedHashes.GetValueOrDefault(path) == hash)
            {
                continue; // unchanged since the last read (good or bad): nothing to parse or log again
            }

            try
            {
                _goodFiles[path] = (hash, StaticFileParser.Parse(path, text));
                _failedHashes.Remove(path);
            }
            catch (StaticFileException e)
            {
                _failedHashes[path] = hash;
                context.Logger.LogError("{Error}; {Kept}", e.Message, Kept(path));
            }
        }

        return StaticEntityEvents.Build(paths.Where(_goodFiles.ContainsKey).Select(p => _goodFiles[p].File));
    }

    private string Kept(string path) => _goodFiles.ContainsKey(path) ? "its last good content stays in the graph" : "it is skipped";

    private DatasourceEvent Event(JsonObject body, DatasourceAction action, DateTimeOffset sampleTime) =>
        new(StaticDatasourcePlugin.EntityType, action, sampleTime, context.Name, JsonSerializer.SerializeToElement(body));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
