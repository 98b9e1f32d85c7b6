using System.Runtime.InteropServices;

namespace PluginHost.Tests.Support;

/// <summary>
/// A folder laid out as the kubelet mounts a Secret or ConfigMap volume: the files live in a
/// timestamped folder, <c>..data</c> links to it, and each name links through <c>..data</c>. An
/// update writes a new timestamped folder and swaps <c>..data</c> in one rename, so a reader sees
/// all old files or all new ones, and the names' own links never change.
/// </summary>
internal sealed class SecretVolume(string path)
{
    private int _generation;

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string oldPath, string newPath);

    public string Combine(string name) => Path.Combine(path, name);

    /// <summary>Writes these files as the volume's whole content, swapping <c>..data</c> as the kubelet does.</summary>
    public void Write(IReadOnlyDictionary<string, string> files)
    {
        Directory.CreateDirectory(path);
        var previous = Directory.Exists(Combine("..data")) ? new DirectoryInfo(Combine("..data")).LinkTarget : null;
        var generation = $"..2026_11_30_{++_generation:D2}";
        Directory.CreateDirectory(Combine(generation));
        foreach (var (name, content) in files)
        {
            File.WriteAllText(Path.Combine(path, generation, name), content);
        }

        File.CreateSymbolicLink(Combine("..data_tmp"), generation);
        // rename(2), as the kubelet swaps it: File.Move and Directory.Move follow the new link to a folder and refuse.
        if (Rename(Combine("..data_tmp"), Combine("..data")) != 0)
        {
            throw new IOException($"rename to {Combine("..data")} failed: errno {Marshal.GetLastPInvokeError()}");
        }
        foreach (var name in files.Keys.Where(name => !Path.Exists(Combine(name))))
        {
            File.CreateSymbolicLink(Combine(name), Path.Combine("..data", name));
        }

        if (previous is not null)
        {
            Directory.Delete(Combine(previous), recursive: true);
        }
    }
}
