using System.Runtime.InteropServices;

namespace EntryModel.Oracles.Unicorn;

/// <summary>Finds libunicorn.so.2 and says clearly what to install when it is missing.</summary>
public static class UnicornLibrary
{
    private static readonly Lazy<string?> LoadFailure = new(TryLoad);

    /// <summary>
    /// Throws <see cref="DllNotFoundException"/> with an actionable message when the library cannot be loaded.
    /// Oracle tests must run, not skip, so a missing library is a failure that names the fix.
    /// </summary>
    public static void EnsureAvailable()
    {
        if (LoadFailure.Value is { } failure)
        {
            throw new DllNotFoundException(failure);
        }
    }

    /// <summary>The library's version as "major.minor" (uc_version).</summary>
    public static unsafe string Version
    {
        get
        {
            EnsureAvailable();
            uint major, minor;
            _ = UnicornNative.Version(&major, &minor);
            return $"{major}.{minor}";
        }
    }

    private static string? TryLoad()
    {
        if (NativeLibrary.TryLoad(UnicornNative.LibraryName, typeof(UnicornLibrary).Assembly, null, out _))
        {
            return null;
        }

        return $"{UnicornNative.LibraryName} could not be loaded. The Unicorn oracle needs Debian's libunicorn2 package: " +
            ".ci/run must install libunicorn2 (apt-get install -y libunicorn2), and a developer machine needs the same.";
    }
}
