using System.Runtime.CompilerServices;
using System.Text.Json;
using PluginHost.Contracts;

namespace Company.Datasources.Sample;

/// <summary>
/// The I/O, and only the I/O: reads the source and yields one event per thing, as it reads them.
/// Throwing ends the snapshot as failed and the host deletes nothing; only a listing that ends
/// normally is complete, and then what it did not report is deleted.
/// </summary>
internal sealed class SampleDriver(DatasourceContext context, string sourceFile) : IDatasourceDriver
{
    // Bounded: a source file this large is a mistake, not a list of things.
    private const long MaxBytes = 64L << 20;

    public async IAsyncEnumerable<DatasourceEvent> GetAllAsync(DatasourceAction action, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sampleTime = context.Time.GetUtcNow();
        JsonDocument document;
        try
        {
            var info = new FileInfo(sourceFile);
            if (info.Length > MaxBytes)
            {
                throw new DatasourceException($"{sourceFile} is {info.Length} bytes; at most {MaxBytes} are read");
            }

            await using var stream = info.OpenRead();
            document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasourceException($"cannot read {sourceFile}: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new DatasourceException($"{sourceFile} is not valid JSON (line {e.LineNumber}): {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new DatasourceException($"{sourceFile} must hold a JSON array of things");
            }

            foreach (var thing in document.RootElement.EnumerateArray())
            {
                // The event keeps its own copy: the document is disposed after the listing.
                yield return new DatasourceEvent(SamplePlugin.ThingType, action, sampleTime, context.Name, thing.Clone());
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
