using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace PluginHost.History;

/// <summary>
/// Whether the file opened at a path is still the one there. SQLite goes on writing into a file
/// removed, replaced (a backup moved over it) or moved while it is open, without an error, and a
/// reader opening the path then sees another file through the first one's WAL. The file's device
/// and inode when opened are compared with those of the file at the path (Linux's <c>statx</c>):
/// another file there, or none, means it is gone. Elsewhere only a removal is seen.
/// </summary>
/// <remarks>
/// No handle of its own is kept on the file: closing any descriptor of a file drops every POSIX
/// lock the process holds on it, SQLite's too (sqlite.org/howtocorrupt.html, 2.2). An earlier
/// version kept one and closed it after the writer had opened again: another process then took
/// the host for gone, checkpointed and removed the WAL under it, and the history was "malformed".
/// </remarks>
internal sealed class OpenedFile
{
    private readonly string _path;
    private readonly (ulong Device, ulong Inode)? _identity;

    private OpenedFile(string path)
    {
        _path = path;
        _identity = Identity(path);
    }

    /// <summary>Notes the file now at <paramref name="path"/> (just opened by its writer).</summary>
    public static OpenedFile At(string path) => new(path);

    /// <summary>The file at the path is no longer the one opened: removed, replaced or moved.</summary>
    public bool Gone => !File.Exists(_path) || (_identity is { } opened && Identity(_path) is { } now && now != opened);

    // statx(2)'s buffer is the same on every architecture: 256 bytes, stx_ino at 32, stx_dev_major/minor at 136/140.
    private const int AtCurrentFolder = -100;
    private const uint StatxInode = 0x100;
    private const int StatxSize = 256;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
#pragma warning disable CA2101, CA1838 // the path goes as UTF-8 bytes (a null-terminated array), not as a marshalled string
    private static extern int Statx(int folder, byte[] path, int flags, uint mask, byte[] buffer);
#pragma warning restore CA2101, CA1838

    private static (ulong Device, ulong Inode)? Identity(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var buffer = new byte[StatxSize];
            var name = System.Text.Encoding.UTF8.GetBytes(path + "\0");
            if (Statx(AtCurrentFolder, name, 0, StatxInode, buffer) != 0 || (BinaryPrimitives.ReadUInt32LittleEndian(buffer) & StatxInode) == 0)
            {
                return null; // gone, or not told: File.Exists decides
            }

            var inode = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(32));
            var device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(136)) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(140));
            return (device, inode);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null; // a C library without statx: only a removal is seen
        }
    }
}
