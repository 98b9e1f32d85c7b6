using Microsoft.Win32.SafeHandles;

namespace PluginHost.History;

/// <summary>
/// Whether the file opened at a path is still the one there. SQLite goes on writing into a file
/// removed, replaced (a backup moved over it) or moved while it is open, without an error, and a
/// reader opening the path then sees another file through the first one's WAL. On Linux a read-only
/// handle of its own is kept on the file and the kernel's name for it (<c>/proc/self/fd</c>) is
/// compared with the name it had when opened: it gets " (deleted)" once replaced or removed, and
/// another path once moved. Elsewhere only a removal is seen (the path no longer exists).
/// </summary>
internal sealed class OpenedFile : IDisposable
{
    private readonly string _path;
    private readonly SafeFileHandle? _handle;
    private readonly string? _nameWhenOpened;

    private OpenedFile(string path, SafeFileHandle? handle)
    {
        _path = path;
        _handle = handle;
        _nameWhenOpened = KernelName();
    }

    /// <summary>Notes the file now at <paramref name="path"/> (just opened by its writer).</summary>
    public static OpenedFile At(string path)
    {
        SafeFileHandle? handle = null;
        if (OperatingSystem.IsLinux())
        {
            try
            {
                handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // not readable to this process: only a removal is seen
            }
        }

        return new OpenedFile(path, handle);
    }

    /// <summary>The file at the path is no longer the one opened: removed, replaced or moved.</summary>
    public bool Gone => !File.Exists(_path) || (_nameWhenOpened is not null && KernelName() is { } now && now != _nameWhenOpened);

    public void Dispose() => _handle?.Dispose();

    // The name the kernel gives the open file: its path (symbolic links resolved), " (deleted)" added once unlinked.
    private string? KernelName()
    {
        if (_handle is null || _handle.IsInvalid)
        {
            return null;
        }

        try
        {
            return new FileInfo($"/proc/self/fd/{_handle.DangerousGetHandle()}").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
