namespace Company.Datasources.Sample.Tests;

/// <summary>The datasource's source for a test: a JSON file in a folder deleted afterwards.</summary>
internal sealed class FakeSource : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("mysource-test-");

    public FakeSource(string json)
    {
        File.WriteAllText(Path, json);
    }

    public string Path => System.IO.Path.Combine(_folder.FullName, "things.json");

    public void Dispose() => _folder.Delete(recursive: true);
}
